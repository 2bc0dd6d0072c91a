#!/usr/bin/env bats
# src/16-firewall.sh: fw-ban, fw-unban, each in a private network namespace.

load common

@test "fw-ban with nftables rejects only the given servers and unban leaves the ruleset byte-identical" {
  command -v nft || skip "needs nft"
  run -0 fw_in_netns '
    set -e; H="$1 $2 --state-dir $3"
    nft add table ip keepme; nft add chain ip keepme c
    nft list ruleset >/tmp/.before.$$
    $H fw-ban --run r1 --backend nft 10.9.9.1 10.9.9.2 >/tmp/.ban.$$
    nft list table inet cutover_ban | grep -q "10.9.9.1, 10.9.9.2"
    nft list table inet cutover_ban | grep -q "reject with tcp reset"
    $H fw-ban --run r1 --backend nft 10.9.9.2 10.9.9.1 | grep -q "\"changed\":false"
    $H fw-unban --backend nft | grep -q "\"changed\":true"
    nft list ruleset >/tmp/.after.$$
    cmp /tmp/.before.$$ /tmp/.after.$$; rm -f /tmp/.before.$$ /tmp/.after.$$ /tmp/.ban.$$
    echo OK'
  [[ "$output" == *OK ]]
}

@test "fw-ban with iptables uses its own chain and unban leaves iptables-save byte-identical" {
  command -v iptables || skip "needs iptables"
  run -0 fw_in_netns '
    set -e; H="$1 $2 --state-dir $3"
    iptables -A OUTPUT -d 10.1.1.1 -j ACCEPT
    iptables-save | grep -v "^#" >/tmp/.before.$$
    $H fw-ban --run r1 --backend iptables 10.9.9.1 >/dev/null
    iptables -S CUTOVER-BAN | grep -q "10.9.9.1/32.*udp.*REJECT"
    iptables -S OUTPUT | head -2 | grep -q "CUTOVER-BAN"
    $H revert r1 | grep -q "\"ok\":true"
    iptables-save | grep -v "^#" >/tmp/.after.$$
    cmp /tmp/.before.$$ /tmp/.after.$$; rm -f /tmp/.before.$$ /tmp/.after.$$
    echo OK'
  [[ "$output" == *OK ]]
}

@test "fw-ban refuses loopback and non-addresses" {
  run -2 --separate-stderr h fw-ban --run r1 127.0.0.1
  run -2 --separate-stderr h fw-ban --run r1 ::1
  run -2 --separate-stderr h fw-ban --run r1 10.0.0.256
  run -2 --separate-stderr h fw-ban --run r1 dns.example
}
