package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/fingerprint"
)

// rotation is the -rotate flag: a duration ("1h") or a size ("100MB").
type rotation struct {
	every time.Duration
	size  int64
}

func parseRotation(s string) (rotation, error) {
	if s == "" {
		return rotation{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d < time.Second {
			return rotation{}, fmt.Errorf("-rotate %s: at least 1s", s)
		}
		return rotation{every: d}, nil
	}
	units := []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}
	u := strings.ToUpper(s)
	for _, x := range units {
		if num, ok := strings.CutSuffix(u, x.suffix); ok {
			n, err := strconv.ParseInt(num, 10, 64)
			if err != nil || n <= 0 {
				break
			}
			if n*x.mult < 4096 {
				return rotation{}, fmt.Errorf("-rotate %s: at least 4KB", s)
			}
			return rotation{size: n * x.mult}, nil
		}
	}
	return rotation{}, fmt.Errorf("-rotate %q: want a duration (1h, 15m) or a size (100MB, 1GB)", s)
}

// rotatingFile is the -o file, renamed to NAME.<UTC time> and started
// anew when it is older or larger than the rotation says; output rotates
// it between lines.
type rotatingFile struct {
	name    string
	rot     rotation
	f       *os.File
	opened  time.Time
	written int64
	now     func() time.Time
}

func openRotating(name string, rot rotation) (*rotatingFile, error) {
	r := &rotatingFile{name: name, rot: rot, now: time.Now}
	return r, r.open()
}

func (r *rotatingFile) open() error {
	f, err := os.OpenFile(r.name, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	r.f, r.opened, r.written = f, r.now(), fi.Size()
	return nil
}

func (r *rotatingFile) Write(p []byte) (int, error) {
	n, err := r.f.Write(p)
	r.written += int64(n)
	return n, err
}

// due reports whether the file should be rotated before the next line,
// with buffered bytes not yet written to it.
func (r *rotatingFile) due(buffered int64) bool {
	if r.rot.every > 0 && r.now().Sub(r.opened) >= r.rot.every {
		return true
	}
	return r.rot.size > 0 && r.written+buffered >= r.rot.size
}

// rotate closes the file, renames it after the time and opens a new one.
func (r *rotatingFile) rotate() error {
	if r.written == 0 {
		r.opened = r.now()
		return nil
	}
	if err := r.f.Close(); err != nil {
		return err
	}
	base := r.name + "." + r.now().UTC().Format("20060102T150405Z")
	dst := base
	for i := 1; ; i++ {
		if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
			break
		}
		dst = fmt.Sprintf("%s.%d", base, i)
	}
	if err := os.Rename(r.name, dst); err != nil {
		return err
	}
	return r.open()
}

func (r *rotatingFile) Close() error { return r.f.Close() }

// statusLine prints a line of counters to stderr every interval of wall
// time while a long input (a live interface, a pipe) is read.
type statusLine struct {
	w     io.Writer
	every time.Duration
	next  time.Time
	n     int
	eng   pipeline
	inv   *fingerprint.Inventory
	det   *detect.Engine
	drops func() uint64 // the kernel's, for a live capture
	// packets, when set, counts the packets in place of eng (whose engines
	// are busy on goroutines of their own).
	packets func() uint64
	flows   func() (all, active uint64)
}

// packet counts one packet and prints the line when it is time (the clock
// is read every 1024 packets).
func (s *statusLine) packet() {
	if s == nil || s.every <= 0 {
		return
	}
	if s.n++; s.n&1023 != 0 {
		return
	}
	now := time.Now()
	if s.next.IsZero() {
		s.next = now.Add(s.every)
		return
	}
	if now.Before(s.next) {
		return
	}
	s.next = now.Add(s.every)
	var line string
	if s.eng != nil {
		st := s.eng.Stats()
		line = fmt.Sprintf("medscan: %s: %d packets, %s, %d flows (%d active), %d devices", now.Format("15:04:05"),
			st.Packets, human(st.Bytes), st.Flows, st.ActiveFlows, s.inv.Len())
	} else {
		all, active := s.flows()
		line = fmt.Sprintf("medscan: %s: %d packets, %d flows (%d active), %d devices", now.Format("15:04:05"), s.packets(), all, active, s.inv.Len())
	}
	if s.det != nil {
		line += fmt.Sprintf(", %d alerts", s.det.Stats().Emitted)
	}
	if s.drops != nil {
		line += fmt.Sprintf(", %d dropped by the kernel", s.drops())
	}
	fmt.Fprintln(s.w, line)
}
