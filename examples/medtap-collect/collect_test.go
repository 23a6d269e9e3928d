package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/internal/natstest"
	"github.com/medtap/medtap/internal/testutil"
)

// buildMedscan builds the medscan binary once per test.
func buildMedscan(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "medscan")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/medtap/medtap/examples/medscan")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build medscan: %v\n%s", err, out)
	}
	return bin
}

func lines(t *testing.T, out []byte) []map[string]any {
	t.Helper()
	var ls []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		ls = append(ls, m)
	}
	return ls
}

// picture is what the comparison looks at: each device's address and
// class, and each alert's rule, severity and addresses.
func picture(ls []map[string]any) (devices, alerts []string) {
	host := func(v any) string {
		s, _ := v.(string)
		if i := strings.LastIndexByte(s, ':'); i > 0 && strings.Count(s, ":") == 1 {
			return s[:i]
		}
		return s
	}
	for _, m := range ls {
		switch m["type"] {
		case "device":
			devices = append(devices, fmt.Sprintf("%v %v %v", m["ip"], m["class"], m["vendor"]))
		case "alert":
			alerts = append(alerts, fmt.Sprintf("%v %v %v %v", m["id"], m["severity"], host(m["src"]), host(m["dst"])))
		}
	}
	slices.Sort(devices)
	slices.Sort(alerts)
	return devices, slices.Compact(alerts)
}

var ackedRE = regexp.MustCompile(`bus: (\d+) messages acknowledged`)

// TestSensorsToCollector: two sensors publish the sample capture and the
// labelled hospital capture to a stream of three replicas on a three-server
// cluster; one server is killed while the second sensor runs and restarted
// during it. The collector's merged inventory and alert set equal those of
// one medscan run over both captures, and every message arrives once.
func TestSensorsToCollector(t *testing.T) {
	if testing.Short() {
		t.Skip("builds medscan and starts a nats-server cluster")
	}
	cl := natstest.Start(t, 3)
	medscan := buildMedscan(t)
	root := testutil.RepoRoot(t)
	captures := map[string]string{
		"imaging": filepath.Join(root, "examples/medscan/testdata/sample.pcapng"),
		"wards":   filepath.Join(root, "fingerprint/testdata/eval/hospital.pcap"),
	}
	published := 0
	for _, name := range []string{"imaging", "wards"} {
		cmd := exec.Command(medscan, "-json", "-nats", cl.URL(), "-sensor", name, "-nats-replicas", "3",
			"-nats-spool", filepath.Join(t.TempDir(), name), captures[name])
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if name == "wards" {
			cl.Kill(2)
			go func() { time.Sleep(300 * time.Millisecond); cl.Start(2) }()
		}
		if err := cmd.Run(); err != nil {
			t.Fatalf("medscan %s: %v\n%s", name, err, stderr.String())
		}
		n := len(lines(t, stdout.Bytes()))
		m := ackedRE.FindStringSubmatch(stderr.String())
		if m == nil || m[1] != fmt.Sprint(n) {
			t.Errorf("%s: %d lines printed, stderr %q", name, n, stderr.String())
		}
		published += n
	}
	time.Sleep(500 * time.Millisecond) // the restarted server is back in the cluster

	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if status := run(ctx, []string{"-nats", cl.URL(), "-json", "-drain"}, &out, &errb); status != 0 {
		t.Fatalf("medtap-collect: status %d: %s", status, errb.String())
	}
	got := lines(t, out.Bytes())
	sum := got[len(got)-1]
	if sum["type"] != "summary" || sum["distinct_messages"] != float64(published) || sum["duplicates"] != float64(0) || sum["sensors"] != float64(2) {
		t.Errorf("collector summary %v; %d messages published", sum, published)
	}

	ref := exec.Command(medscan, "-json", captures["imaging"], captures["wards"])
	refOut, err := ref.Output()
	if err != nil {
		t.Fatal(err)
	}
	wantDev, wantAlerts := picture(lines(t, refOut))
	gotDev, gotAlerts := picture(got)
	if !slices.Equal(gotDev, wantDev) {
		t.Errorf("devices:\n%s\nwant (one medscan run over both):\n%s", strings.Join(gotDev, "\n"), strings.Join(wantDev, "\n"))
	}
	if !slices.Equal(gotAlerts, wantAlerts) {
		t.Errorf("alerts:\n%s\nwant:\n%s", strings.Join(gotAlerts, "\n"), strings.Join(wantAlerts, "\n"))
	}
	if len(wantDev) < 20 || len(wantAlerts) < 5 {
		t.Errorf("only %d devices and %d alerts to compare", len(wantDev), len(wantAlerts))
	}

	// The tables.
	out.Reset()
	if status := run(ctx, []string{"-nats", cl.URL(), "-drain"}, &out, &errb); status != 0 {
		t.Fatal(status)
	}
	for _, want := range []string{"SENSORS", "imaging", "wards", "DEVICES", "ALERTS", "(0 duplicates)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("tables lack %q:\n%s", want, out.String())
		}
	}
	_ = os.Stderr
}

// An unreachable bus is an error (exit status 1), not a wait.
func TestCollectUnreachable(t *testing.T) {
	c := natstest.New(t, 1) // never started
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if status := run(ctx, []string{"-nats", c.URL(), "-drain"}, &out, &errb); status != 1 || !strings.Contains(errb.String(), "medtap-collect:") {
		t.Errorf("status %d, stderr %q", status, errb.String())
	}
	if status := run(ctx, []string{"-drain"}, &out, &errb); status != 2 {
		t.Errorf("no -nats: status %d", status)
	}
}
