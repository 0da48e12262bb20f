"""What projects and users own or are allowed: flavors, key pairs (and the certificates
generated for x509 ones), server groups and quotas."""
