#!/bin/bash
# test_net_uml.sh - run hipd's network plumbing tests (test_net,
# test_net_hitdev, test_net_addrs) inside User-Mode Linux, whose kernel
# has the dummy driver: there the HIT interface must be the dummy hip0,
# not the lo fallback that the host kernel forces.
#
#   test/uml/uml-run.sh --cwd BUILDDIR SRCDIR/test/netns/test_net_uml.sh
#
# (`make check-kernel-net` does that.)  Run from the build directory.
# Each test binary creates and deletes its own network namespaces.

set -u
export HIPD_TEST_EXPECT_DUMMY=1
# Check's temporary files: the guest's /tmp is read-only.
export TEMP=${TMPDIR:-/run/tmp}

rc=0
for t in test_net test_net_hitdev test_net_addrs; do
	echo "== $t"
	./test/unit/$t
	st=$?
	echo "== $t: exit $st"
	[ "$st" = 0 ] || rc=1
done
exit $rc
