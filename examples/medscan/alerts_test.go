package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/testutil"
)

func TestAlerts(t *testing.T) {
	ftp := filepath.Join(testutil.RepoRoot(t), "netproto/ftp/testdata/ftp.pcap")
	status, out, errs := runMedscan(t, nil, "-json", ftp)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	var alerts []map[string]any
	total := 0
	for _, m := range checkJSONLines(t, out) {
		if m["type"] == "alert" {
			alerts = append(alerts, m)
			total += int(m["count"].(float64))
		}
	}
	if len(alerts) == 0 {
		t.Fatal("no alert for the FTP logins in clear text")
	}
	for _, a := range alerts {
		for _, k := range []string{"id", "severity", "src", "dst", "summary", "technique"} {
			if _, ok := a[k].(string); !ok {
				t.Errorf("alert without %q: %v", k, a)
			}
		}
		if _, ok := a["evidence"].(map[string]any); !ok {
			t.Errorf("alert without evidence: %v", a)
		}
	}
	lines := checkJSONLines(t, out)
	if n := lines[len(lines)-1]["alerts"]; n != float64(total) {
		t.Errorf("summary alerts %v, the alerts' counts add up to %d", n, total)
	}
	if strings.Contains(out, "password") {
		t.Error("a password in the output")
	}

	_, out, _ = runMedscan(t, nil, ftp)
	if !strings.Contains(out, "ALERTS") || !strings.Contains(out, "cleartext.credentials") {
		t.Errorf("no ALERTS table:\n%s", out)
	}

	_, out, _ = runMedscan(t, nil, "-json", "-no-detect", ftp)
	if strings.Contains(out, `"type":"alert"`) {
		t.Error("-no-detect printed alerts")
	}

	dir := t.TempDir()
	cfg := filepath.Join(dir, "detect.json")
	os.WriteFile(cfg, []byte(`{"rules":{"cleartext.credentials":{"enabled":false}}}`), 0o644)
	_, out, _ = runMedscan(t, nil, "-json", "-detect-config", cfg, ftp)
	if strings.Contains(out, `"type":"alert"`) {
		t.Error("a rule turned off by -detect-config raised alerts")
	}
	os.WriteFile(cfg, []byte("{\n \"rules\": {\"cleartext.credentials\": {\"enabled\": \"no\"}}}"), 0o644)
	status, _, errs = runMedscan(t, nil, "-detect-config", cfg, ftp)
	if status != 2 || !strings.Contains(errs, "line 2 column") {
		t.Errorf("bad configuration: status %d, stderr %q", status, errs)
	}

	base := filepath.Join(dir, "baseline.json")
	if status, _, errs := runMedscan(t, nil, "-json", "-baseline", base, ftp); status != 0 {
		t.Fatalf("-baseline: status %d: %s", status, errs)
	}
	data, err := os.ReadFile(base)
	if err != nil || !json.Valid(data) {
		t.Fatalf("baseline file: %v %q", err, data)
	}
	if status, _, errs := runMedscan(t, nil, "-json", "-detect-with", base, ftp); status != 0 {
		t.Fatalf("-detect-with: status %d: %s", status, errs)
	}
	os.WriteFile(base, []byte(`{"format":"other"}`), 0o644)
	if status, _, errs := runMedscan(t, nil, "-detect-with", base, ftp); status != 2 || !strings.Contains(errs, "format") {
		t.Errorf("bad baseline: status %d, stderr %q", status, errs)
	}
}
