package ntlmssp

import (
	"strings"
	"testing"
)

func TestVersionOS(t *testing.T) {
	tests := []struct {
		v    Version
		want string
	}{
		{Version{6, 1, 7601, 15}, "Windows 7 SP1 / Server 2008 R2 (6.1.7601)"},
		{Version{5, 1, 2600, 15}, "Windows XP (5.1.2600)"},
		{Version{10, 0, 17763, 15}, "Windows 10 1809 / LTSC 2019 / Server 2019 (10.0.17763)"},
		{Version{10, 0, 26100, 15}, "Windows 11 24H2 / LTSC 2024 / Server 2025 (10.0.26100)"},
		{Version{6, 1, 0, 15}, "Samba (6.1.0)"},
		{Version{6, 1, 7602, 15}, "Windows 7 / Server 2008 R2 (6.1.7602)"},
		{Version{10, 0, 27000, 15}, "Windows 10 / 11 / Server 2016 or later (10.0.27000)"},
		{Version{12, 3, 4, 15}, "unknown (12.3.4)"},
	}
	for _, tt := range tests {
		if got := tt.v.OS(); got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.v, got, tt.want)
		}
	}
	if !(Version{}).IsZero() || win7.IsZero() {
		t.Error("IsZero")
	}
}

// TestBuildSources checks that every entry of the build table names a
// source of the legend in builds.go, and that no build is listed twice.
func TestBuildSources(t *testing.T) {
	legend := map[string]bool{"osver": true, "win10": true, "win11": true, "server": true, "kb6003": true, "list": true, "samba": true}
	seen := map[Version]bool{}
	for _, b := range append(builds[:], families[:]...) {
		if !legend[b.source] {
			t.Errorf("%d.%d.%d %q: source %q not in the legend", b.major, b.minor, b.build, b.name, b.source)
		}
		if strings.TrimSpace(b.name) != b.name || b.name == "" {
			t.Errorf("%d.%d.%d: bad name %q", b.major, b.minor, b.build, b.name)
		}
	}
	for _, b := range builds {
		v := Version{Major: b.major, Minor: b.minor, Build: b.build}
		if seen[v] {
			t.Errorf("%v listed twice", v)
		}
		seen[v] = true
	}
}
