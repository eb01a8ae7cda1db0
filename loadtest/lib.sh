# Shell functions shared by loadtest/run and loadtest/run-cluster (sourced, not run).
wait_port() { # wait_port <port> <pid> <seconds>
  local i
  for i in $(seq 1 $(( $3 * 5 ))); do
    kill -0 "$2" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}
need_free_port() { # need_free_port <port> <what>: fails (with a message) if something already listens there, e.g. the
  # server of another loadtest run still going: wait_port would then find that one and measure the wrong process
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "port $1 ($2) is already in use on 127.0.0.1 (another loadtest run still going?); not starting" >&2
    return 1
  fi
}
stop() { # stop <pid>: TERM, then KILL after 10 s; only our own child
  local p="$1" i
  kill "$p" 2>/dev/null || return 0
  for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$p" 2>/dev/null
  wait "$p" 2>/dev/null
}
