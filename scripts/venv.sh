# Sourced by the scripts beside it (never run): `make_venv DIR LOCK` creates the venv DIR once
# (with $PYTHON, python3 by default), brings pip to requirements-pip.lock, then installs LOCK: the
# exact versions, with hashes, that the tests passed on (README "Dependencies").
make_venv() {
  local dir=$1 lock=$2
  if [ ! -x "$dir/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$dir"
  fi
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.lock
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
}
