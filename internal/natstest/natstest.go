// Package natstest starts real nats-server processes (Debian's nats-server)
// with JetStream for tests: a single server or a cluster on loopback
// ports, with servers that can be killed and restarted.
package natstest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Cluster is a set of nats-server processes on loopback.
type Cluster struct {
	tb      testing.TB
	bin     string
	dir     string
	ports   []int // client ports
	routes  []int // cluster ports
	procs   []*exec.Cmd
	cluster bool
}

// Binary returns the nats-server binary, skipping tb when it is missing.
func Binary(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		tb.Skip("nats-server not installed (Debian package nats-server)")
	}
	return bin
}

func freePort(tb testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// New prepares n servers (a cluster when n > 1) without starting them.
func New(tb testing.TB, n int) *Cluster {
	tb.Helper()
	c := &Cluster{tb: tb, bin: Binary(tb), dir: tb.TempDir(), cluster: n > 1, procs: make([]*exec.Cmd, n)}
	for range n {
		c.ports = append(c.ports, freePort(tb))
		c.routes = append(c.routes, freePort(tb))
	}
	tb.Cleanup(c.StopAll)
	return c
}

// Start starts n servers and waits until they accept connections.
func Start(tb testing.TB, n int) *Cluster {
	c := New(tb, n)
	for i := range n {
		c.Start(i)
	}
	return c
}

// URL returns the client URLs of every server, comma-separated.
func (c *Cluster) URL() string {
	var us []string
	for _, p := range c.ports {
		us = append(us, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	return strings.Join(us, ",")
}

// Start starts server i (again, after Kill: its JetStream store is kept)
// and waits until it accepts connections.
func (c *Cluster) Start(i int) {
	c.tb.Helper()
	conf := filepath.Join(c.dir, fmt.Sprintf("n%d.conf", i))
	var b strings.Builder
	fmt.Fprintf(&b, "server_name: n%d\nlisten: 127.0.0.1:%d\n", i, c.ports[i])
	fmt.Fprintf(&b, "jetstream { store_dir: %q }\n", filepath.Join(c.dir, fmt.Sprintf("store%d", i)))
	if c.cluster {
		fmt.Fprintf(&b, "cluster {\n name: medtap\n listen: 127.0.0.1:%d\n routes: [\n", c.routes[i])
		for j, p := range c.routes {
			if j != i {
				fmt.Fprintf(&b, "  \"nats-route://127.0.0.1:%d\"\n", p)
			}
		}
		b.WriteString(" ]\n}\n")
	}
	if err := os.WriteFile(conf, []byte(b.String()), 0o600); err != nil {
		c.tb.Fatal(err)
	}
	log, err := os.Create(filepath.Join(c.dir, fmt.Sprintf("n%d.log", i)))
	if err != nil {
		c.tb.Fatal(err)
	}
	cmd := exec.Command(c.bin, "-c", conf)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		c.tb.Fatal(err)
	}
	c.procs[i] = cmd
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", c.ports[i]), 200*time.Millisecond)
		if err == nil {
			conn.Close()
			return
		}
		if time.Now().After(deadline) {
			data, _ := os.ReadFile(log.Name())
			c.tb.Fatalf("nats-server %d did not start: %s", i, data)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Kill kills server i at once (SIGKILL), as a crash would.
func (c *Cluster) Kill(i int) {
	if p := c.procs[i]; p != nil {
		p.Process.Kill()
		p.Wait()
		c.procs[i] = nil
	}
}

// StopAll kills every server.
func (c *Cluster) StopAll() {
	for i := range c.procs {
		c.Kill(i)
	}
}

// Log returns server i's log.
func (c *Cluster) Log(i int) string {
	data, _ := os.ReadFile(filepath.Join(c.dir, fmt.Sprintf("n%d.log", i)))
	return string(data)
}
