"""Identity v3 (Keystone 30): discovery, password and token authentication scoped to a
project, a domain or the system, and the admin API of domains, projects, users, roles and
role assignments that Tempest's dynamic credentials, openstacksdk and openstackclient use."""
