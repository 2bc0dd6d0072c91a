# What a rollback must give back exactly on a real lab host, printed for comparison (run inside
# the host: lab.sh exec HOST sh -c "$(cat lab/real/state.sh)"): resolv.conf (a symlink as its
# link), every file where a resolv.conf owner, BIND or systemd keep configuration (path, link
# target, mode, content hash), the units cutover drives, resolved's servers, the firewall and the
# installed packages. No timestamps: two snapshots of the same state are byte-identical.
echo '== resolv.conf'
if [ -L /etc/resolv.conf ]; then echo "link -> $(readlink /etc/resolv.conf)"; fi
cat /etc/resolv.conf
echo '== owner, bind and systemd config'
for d in /etc/NetworkManager /etc/systemd/resolved.conf.d /etc/systemd/resolved.conf /etc/dhcp /etc/resolvconf \
    /etc/systemd/system /etc/bind /etc/default; do
  [ -e "$d" ] || continue
  find "$d" \( -type f -o -type l \) -printf '%p %l %m ' -exec sh -c 'sha256sum 2>/dev/null <"$1" | cut -c1-16' _ {} \; | sort
done
echo '== units'
for u in named bind9 named-resolvconf systemd-resolved NetworkManager; do
  echo "$u $(systemctl is-enabled "$u" 2>/dev/null) $(systemctl is-active "$u" 2>/dev/null)"
done
echo '== resolved'
resolvectl dns 2>/dev/null | grep -v '^Link'
echo '== nft'
nft list ruleset
echo '== packages'
dpkg-query -W -f='${binary:Package} ${Version}\n' | md5sum
