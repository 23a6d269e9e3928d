package fingerprint

import (
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/smbflow"
)

// TestEndOfLifeExposure checks the end-of-life OS exposure of hosts that
// named their OS over SMB: by Microsoft's end of support as of the time the
// host was last seen, with Samba's 6.1.0 and a supported LTSC build not end
// of life.
func TestEndOfLifeExposure(t *testing.T) {
	tests := []struct {
		os   string
		seen time.Time
		want bool
	}{
		{"Windows 7 SP1 / Server 2008 R2 (6.1.7601)", t0, true},
		{"Windows 8.1 / Server 2012 R2 (6.3.9600)", t0, true},
		{"Windows 8.1 / Server 2012 R2 (6.3.9600)", time.Date(2023, 10, 10, 12, 0, 0, 0, time.UTC), false}, // its last day
		{"Windows 10 22H2 (10.0.19045)", t0, true},
		{"Windows 10 22H2 (10.0.19045)", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), false},
		{"Windows 10 21H2 / LTSC 2021 (10.0.19044)", t0, false},
		{"Samba (6.1.0)", t0, false},
		{"Windows 11 24H2 / LTSC 2024 / Server 2025 (10.0.26100)", t0, false},
	}
	for _, tt := range tests {
		inv := NewInventory(Config{})
		inv.Event(&flow.Event{Time: tt.seen, Protocol: smbflow.Name, Kind: smbflow.KindNTLMChallenge, Src: ap("10.0.0.2:445"), Dst: ap("10.0.0.1:50000"),
			Detail: &smbflow.Challenge{OS: []byte(tt.os)}})
		got := false
		for _, d := range inv.Devices() {
			for _, x := range d.Exposure {
				if x.Factor == "end-of-life-os" {
					// The OS the host named, or the family the database gives.
					if d.Addr.String() != "10.0.0.2" || (x.Detail != tt.os && x.Detail != d.OS) {
						t.Errorf("%s: exposure %+v of %v", tt.os, x, d.Addr)
					}
					got = true
				}
			}
		}
		if got != tt.want {
			t.Errorf("%s seen %v: end of life %v, want %v", tt.os, tt.seen, got, tt.want)
		}
	}
}
