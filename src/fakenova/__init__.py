"""fakenova: a deterministic, stateful fake of the OpenStack Compute API (Nova 34).

The fake exists so that every sample in the Compute API guide can be executed: the pages show
exactly what this cloud and the real ``openstack`` client print. Build one with
:func:`fakenova.cloud.build_cloud` and serve it with :func:`fakenova.app.make_app`.
"""

NOVA_RELEASE = "34.0.0"
