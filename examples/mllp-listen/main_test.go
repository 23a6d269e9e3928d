package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/medtap/medtap/hl7"
	"github.com/medtap/medtap/mllp"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the listener on a loopback port until the test ends.
func start(t *testing.T, args ...string) (addr string, stdout, stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), stdout, stderr, func(a string) { ready <- a })
	}()
	select {
	case addr = <-ready:
	case code := <-done:
		t.Fatalf("exit %d: %s", code, stderr)
	}
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	return addr, stdout, stderr
}

func msg(id string) []byte {
	return []byte("MSH|^~\\&|LAB|GHH|EHR|GHH|20240101||ORU^R01|" + id + "|P|2.5\rOBX|1|TX|||result " + id + "\r")
}

func TestDirectory(t *testing.T) {
	dir := t.TempDir()
	addr, _, _ := start(t, "-dir", dir)
	c := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
	defer c.Close()
	for i := range 5 {
		if _, err := c.Send(context.Background(), msg(fmt.Sprintf("ID/%d", i))); err != nil {
			t.Fatal(err)
		}
		// Stored before the ACK: the file is there now.
		files, _ := filepath.Glob(filepath.Join(dir, "*.hl7"))
		if len(files) != i+1 {
			t.Fatalf("after %d ACKs, %d files", i+1, len(files))
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("*-ID_%d.hl7", 3)))
	if len(files) != 1 {
		t.Fatalf("file for ID/3: %v", files)
	}
	if b, _ := os.ReadFile(files[0]); !bytes.Equal(b, msg("ID/3")) {
		t.Errorf("stored %q", b)
	}
}

func TestDirectoryFailureGivesAE(t *testing.T) {
	dir := t.TempDir()
	addr, _, _ := start(t, "-dir", dir)
	os.RemoveAll(dir) // storing fails from now on
	c := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
	defer c.Close()
	_, err := c.Send(context.Background(), msg("X"))
	var ae *mllp.AckError
	if !strings.Contains(fmt.Sprint(err), "AE") || !errorsAs(err, &ae) {
		t.Fatalf("err = %v, want AE", err)
	}
}

func errorsAs(err error, target **mllp.AckError) bool {
	e, ok := err.(*mllp.AckError)
	if ok {
		*target = e
	}
	return ok
}

func TestJSONLines(t *testing.T) {
	addr, stdout, _ := start(t)
	c := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
	defer c.Close()
	for i := range 3 {
		if _, err := c.Send(context.Background(), msg(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines: %s", len(lines), stdout)
	}
	for i, line := range lines {
		var r record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if r.ControlID != fmt.Sprint(i) || r.Type != "ORU^R01" || r.Message != string(msg(fmt.Sprint(i))) {
			t.Errorf("line %d: %+v", i, r)
		}
	}
}

// TestACK: the ACK names the message in MSA-2 and has a control ID of its
// own in MSH-10.
func TestACK(t *testing.T) {
	addr, _, _ := start(t)
	c := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
	defer c.Close()
	ids := map[string]bool{}
	for _, id := range []string{"CTRL1", "CTRL2"} {
		b, err := c.Send(context.Background(), msg(id))
		if err != nil {
			t.Fatal(err)
		}
		var ack hl7.Message
		if err := ack.Parse(b); err != nil {
			t.Fatal(err)
		}
		a, _ := ack.Ack()
		own := ack.ControlID().String()
		if string(a.ControlID) != id || own == "" || own == id || ids[own] {
			t.Errorf("ACK of %s: MSH-10 %q, MSA-2 %q", id, own, a.ControlID)
		}
		ids[own] = true
	}
}

// TestStoppedAfter: the count of messages at exit is in words that agree.
func TestStoppedAfter(t *testing.T) {
	for _, n := range []int{0, 1, 2} {
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr syncBuffer
		ready := make(chan string, 1)
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, &stdout, &stderr, func(a string) { ready <- a })
		}()
		addr := <-ready
		c := &mllp.Client{Addr: addr, Timeout: 5 * time.Second}
		for i := range n {
			if _, err := c.Send(context.Background(), msg(fmt.Sprint(i))); err != nil {
				t.Fatal(err)
			}
		}
		c.Close()
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		want := map[int]string{0: "stopped after 0 messages\n", 1: "stopped after 1 message\n", 2: "stopped after 2 messages\n"}[n]
		if !strings.HasSuffix(stderr.String(), want) {
			t.Errorf("%d messages: stderr %q, want it to end with %q", n, stderr.String(), want)
		}
	}
}

func TestHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &out, &errOut, nil); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
	if !strings.HasPrefix(errOut.String(), "mllp-listen receives HL7 v2 messages over MLLP") || !strings.Contains(errOut.String(), "-addr address") {
		t.Errorf("-h prints %q", errOut.String())
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"-nope"}, &out, &errOut, nil); code != 2 || !strings.Contains(errOut.String(), "flag provided but not defined") {
		t.Errorf("-nope: exit %d, %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"extra"}, &out, &errOut, nil); code != 2 || !strings.Contains(errOut.String(), "usage: mllp-listen") {
		t.Errorf("extra argument: exit %d, %q", code, errOut.String())
	}
}

func TestBadFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-tls-client-ca", "x"}, &out, &errOut, nil); code != 2 {
		t.Errorf("exit %d", code)
	}
	if code := run(context.Background(), []string{"-tls-cert", "/nonexistent", "-tls-key", "/nonexistent"}, &out, &errOut, nil); code != 1 {
		t.Errorf("exit %d", code)
	}
}

// TestLimitFlags checks that the limits reach the server: with
// -max-conns-per-addr 1 a second connection from the same address is
// closed at once, and with -frame-timeout a frame that does not end is cut
// off; the counts are logged at exit.
func TestLimitFlags(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-max-conns-per-addr", "1", "-frame-timeout", "200ms"}, io.Discard, stderr, func(a string) { ready <- a })
	}()
	addr := <-ready
	first, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	first.Write([]byte("\x0bMSH|")) // a frame that never ends
	second, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	for _, c := range []net.Conn{second, first} {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if n, err := c.Read(make([]byte, 1)); n != 0 || err == nil || os.IsTimeout(err) {
			t.Errorf("connection not closed by the server: %d %v", n, err)
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "limits: connections refused (per address) 1, slow messages cut off 1, messages over the buffer budget 0, messages too large 0"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}
