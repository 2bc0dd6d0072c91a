#!/bin/sh
# A dynamic inventory in the style of cloud scripts: everything in one --list, with _meta.
case "$1" in
--list)
    cat <<'JSON'
{
  "web": {"hosts": ["web-1.internal", "web-2.internal"], "vars": {"http_port": 8080, "tier": "frontend"}},
  "db": ["db-1.internal"],
  "tag_env_prod": {"children": ["web", "db"], "vars": {"env": "prod"}},
  "all": {"vars": {"ansible_user": "ec2-user", "region": "eu-west-1"}},
  "_meta": {
    "hostvars": {
      "web-1.internal": {"ansible_host": "10.0.1.11", "instance_type": "t3.small", "tags": {"Name": "web-1", "Team": "edge"}},
      "web-2.internal": {"ansible_host": "10.0.1.12", "big": 12345678901234567890, "ratio": 0.25},
      "db-1.internal": {"ansible_host": "10.0.2.21", "ansible_port": 2222, "disks": ["/dev/xvdb", "/dev/xvdc"], "none": null},
      "not-in-any-group": {"ignored": true}
    }
  }
}
JSON
    ;;
--host)
    echo '{}'
    ;;
*)
    echo "usage: $0 --list | --host HOST" >&2
    exit 2
    ;;
esac
