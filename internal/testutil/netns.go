package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// VethNetns makes a network namespace named name holding a veth pair tx,
// rx (MTU 65000, so that replayed captures of offloaded segments fit), up,
// with the address addr (CIDR) on tx only and IPv6 off, so that the
// namespace's own stack sends nothing a capture on rx would see. The
// namespace is deleted at the end of the test. It skips the test when not
// root or when ip or one of the tools named is missing.
func VethNetns(t testing.TB, name, tx, rx, addr string, tools ...string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a network namespace")
	}
	for _, tool := range append([]string{"ip"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	run := func(args ...string) {
		t.Helper()
		if b, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v: %s", strings.Join(args, " "), err, b)
		}
	}
	exec.Command("ip", "netns", "del", name).Run() // left by a killed run
	if b, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		if strings.Contains(string(b), "not permitted") {
			// Root without CAP_SYS_ADMIN (a container): no namespaces here.
			t.Skipf("cannot make a network namespace: %s", strings.TrimSpace(string(b)))
		}
		t.Fatalf("ip netns add %s: %v: %s", name, err, b)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	run("ip", "netns", "exec", name, "sh", "-c", "[ ! -d /proc/sys/net/ipv6 ] || for c in all default; do echo 1 > /proc/sys/net/ipv6/conf/$c/disable_ipv6; done")
	run("ip", "-n", name, "link", "add", tx, "mtu", "65000", "type", "veth", "peer", "name", rx, "mtu", "65000")
	run("ip", "-n", name, "addr", "add", addr, "dev", tx)
	for _, dev := range []string{"lo", tx, rx} {
		run("ip", "-n", name, "link", "set", dev, "up")
	}
}

// NetnsName returns a namespace name made of prefix and the process ID,
// unique among concurrent test binaries.
func NetnsName(prefix string) string { return fmt.Sprintf("%s%d", prefix, os.Getpid()) }
