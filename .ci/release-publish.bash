# Sourced by .ci/release-install and .ci/release-binaries, from the
# repository root, with $tmp set to a fresh directory. Publishes this tree
# (tracked and untracked files, not ignored ones) into the file-based
# module proxy $tmp/proxy, the library and the CLI both at the version
# devicefarm.Version names, exactly as a proxy serves a tag (.info, .mod,
# .zip, list; zips made by golang.org/x/mod/zip). The CLI is published as
# RELEASING.md releases it: after the library's tag, its go.sum gains the
# library's checksum (go mod tidy against the proxy); its go.mod must
# already be tidy and require the library at that version.
#
# Sets lib, cli, version, proxy and usual_proxy, and go_fresh, a function
# that runs a command in a fresh Go environment under a directory: no
# workspace, empty GOPATH and module cache, this proxy first.

lib=github.com/testgridkit/devicefarm
cli=$lib/cmd/testgrid
version=v$(sed -n 's/^const Version = "\(.*\)"$/\1/p' version.go)
[ "$version" != v ] || { echo "release: no Version constant in version.go"; exit 1; }
echo "release: $lib and $cli at $version"

# The checkout's three version claims must agree: the constant, the CLI's
# requirement and the go.work replacement that supplies it from here.
required=$(GOWORK=off go mod edit -json cmd/testgrid/go.mod | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Require") or []:
    if r["Path"] == sys.argv[1]:
        print(r["Version"])' "$lib")
if [ "$required" != "$version" ]; then
  echo "release: cmd/testgrid/go.mod requires $lib ${required:-(nothing)}, but devicefarm.Version is $version"; exit 1
fi
if ! grep -Eq "^replace $lib $version => \./?\$" go.work; then
  echo "release: go.work must hold 'replace $lib $version => ./' (the CLI's requirement, supplied by this checkout)"; exit 1
fi

usual_proxy=$(go env GOPROXY)
proxy="$tmp/proxy"

# go_fresh DIR CMD...: runs CMD with GOPATH and GOMODCACHE under DIR (empty
# the first time), no workspace, $proxy first, and the library left out of
# the public checksum database (it is not published yet).
go_fresh() {
  local dir=$1; shift
  mkdir -p "$dir"
  GOWORK=off GOPATH="$dir/gopath" GOMODCACHE="$dir/gopath/pkg/mod" GOBIN= \
    GOPROXY="file://$proxy,$usual_proxy" GONOSUMDB="$lib" GOFLAGS=-mod=readonly "$@"
}

(cd .ci/releasetool && GOWORK=off go build -o "$tmp/releasetool" .)

# The tree as a tag of this commit (plus local changes) would hold it.
mkdir -p "$tmp/src"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -xf - -C "$tmp/src"

stamp=$(git log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
"$tmp/releasetool" publish -proxy "$proxy" -module "$lib" -version "$version" -dir "$tmp/src" -time "$stamp"

# The CLI's release commit: its go.sum gains the library's checksum.
(
  cd "$tmp/src/cmd/testgrid"
  cp go.mod "$tmp/cli-go.mod.before"
  go_fresh "$tmp/publish" env GOFLAGS=-mod=mod go mod tidy
  if ! cmp -s go.mod "$tmp/cli-go.mod.before"; then
    echo "release: cmd/testgrid/go.mod is not tidy against the published library:"
    diff "$tmp/cli-go.mod.before" go.mod || true
    exit 1
  fi
)
"$tmp/releasetool" publish -proxy "$proxy" -module "$cli" -version "$version" -dir "$tmp/src/cmd/testgrid" -time "$stamp"
