#!/usr/bin/env bats
# src/09-lock.sh: lock, unlock, stale locks.

load common

@test "lock is taken once, renewed by its owner and busy (75) for another owner" {
  run -0 --separate-stderr h lock --owner "ctl=a pid=1 run=r1"
  [ "$(j 'd["changed"]')" = true ]
  run -0 --separate-stderr h lock --owner "ctl=a pid=1 run=r1"
  [ "$(j 'd["changed"]')" = false ]
  [ "$(j 'd["data"]["renewed"]')" = true ]
  run -75 --separate-stderr h lock --owner "ctl=b pid=2 run=r2"
  one_json
  [ "$(j 'd["data"]["holder"]["owner"]')" = "ctl=a pid=1 run=r1" ]
  [ "$(j 'd["data"]["holder"]["stale"]')" = false ]
  run -75 --separate-stderr h unlock --owner "ctl=b pid=2 run=r2"
  run -0 --separate-stderr h unlock --owner "ctl=a pid=1 run=r1"
  [ "$(j 'd["changed"]')" = true ]
  run -0 --separate-stderr h unlock --owner "ctl=a pid=1 run=r1"
  [ "$(j 'd["changed"]')" = false ]
}

@test "a stale lock is reported, not broken, unless --break-stale" {
  run -0 --separate-stderr h lock --owner "ctl=a" --ttl 0
  sleep 1
  run -75 --separate-stderr h lock --owner "ctl=b"
  [ "$(j 'd["data"]["holder"]["stale"]')" = true ]
  [[ "$(j 'd["error"]')" == *stale* ]]
  run -0 --separate-stderr h lock --owner "ctl=b" --break-stale
  [ "$(j 'd["data"]["broken"]["owner"]')" = "ctl=a" ]
  [ "$(j 'd["data"]["lock"]["owner"]')" = "ctl=b" ]
}
