#!/bin/sh
# Print the path of one working interpreter for each of Python 3.10-3.13
# found on this machine (PATH, then pyenv's versions, then /usr/bin), one a
# line.  Used by `make test-pythons` and `make test-lowest`.
for v in 3.10 3.11 3.12 3.13; do
    for py in "$(command -v python$v 2>/dev/null)" $HOME/.pyenv/versions/$v.*/bin/python \
              /usr/local/bin/python$v /usr/bin/python$v; do
        [ -n "$py" ] && [ -x "$py" ] || continue
        if "$py" -c "import sys, venv; sys.exit(sys.version_info[:2] != tuple(map(int, '$v'.split('.'))))" \
                >/dev/null 2>&1; then
            echo "$py"
            break
        fi
    done
done
