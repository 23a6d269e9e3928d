package detect

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/medtap/medtap/flow"
)

// Severity ranks an [Alert]: how urgently a person should look at it.
type Severity uint8

// The severities, least urgent first.
const (
	Info     Severity = iota // worth knowing, nothing wrong by itself (PHI in clear text)
	Low                      // unusual, often benign (a rejected association)
	Medium                   // likely unwanted (a new peer, a clear-text login)
	High                     // likely hostile or dangerous (a patient sweep, a default password)
	Critical                 // act now (an executable hidden in a DICOM object)
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the severity's name: "info", "low", "medium", "high" or
// "critical".
func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", s)
}

// ParseSeverity returns the severity named s.
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if s == n {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("detect: unknown severity %q (want info, low, medium, high or critical)", s)
}

// MarshalText implements [encoding.TextMarshaler].
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// A Field is one piece of an alert's evidence: the AE title that was
// refused, the number of ports probed.
type Field struct {
	Key, Value string
}

// Device describes the device at one end of an alert, as an attached
// inventory knows it (see [Devices]).
type Device struct {
	Name  string // the device's best name: a host name, an AE title, ...
	Class string // its device class ("pacs", "modality:CT", ...)
}

// IsZero reports whether nothing is known of the device.
func (d Device) IsZero() bool { return d == Device{} }

// An Alert is one detection: what rule fired, how severe it is, between
// whom, and the evidence for it.
//
// Alerts are de-duplicated per (ID, source address, destination address):
// the first one within [Config.Window] is emitted at once with Count 1;
// those that follow in the window are counted, and emitted as one alert
// whose Count is their number (Time the first of them, Last the last) when
// the window has passed and the rule fires again, or at [Engine.Flush]. The
// counts of the alerts of one key add up to the times the rule fired.
type Alert struct {
	ID       string // the rule ("dicom.query-sweep"); stable
	Severity Severity
	// Time is the packet time of the evidence that raised the alert; Last,
	// for an alert that stands for several (Count > 1), the time of the
	// last of them.
	Time, Last time.Time
	// Key is the flow of the evidence; zero when the alert is about no one
	// flow (a scan).
	Key flow.Key
	// Src and Dst are the two ends: the source of what raised the alert
	// (the scanner, the client whose login was seen) and its destination.
	// A port is 0 when it does not matter; Dst is the zero AddrPort when
	// there is no single destination.
	Src, Dst             netip.AddrPort
	SrcDevice, DstDevice Device // when an inventory is attached
	Summary              string // one line for people
	Evidence             []Field
	// Technique is the MITRE ATT&CK for ICS technique the detection
	// points to ("T0846 Remote System Discovery"), "" when none fits.
	Technique string
	Count     int
}

// AppendJSON appends a as one JSON object (no newline) in the envelope of
// medtap's JSON Lines: "type":"alert", "ts" the packet time of the evidence,
// "src" and "dst" written as events write theirs (address and port, the
// address alone when the port is 0), then id, severity, src_device and
// dst_device when known, summary, evidence (an object), technique and
// count.
func (a *Alert) AppendJSON(b []byte) []byte {
	b = append(b, `{"type":"alert","ts":`...)
	b = flow.AppendTime(b, a.Time)
	if a.Count > 1 && !a.Last.IsZero() {
		b = append(b, `,"last_ts":`...)
		b = flow.AppendTime(b, a.Last)
	}
	b = flow.AppendString(b, "id", a.ID)
	b = flow.AppendString(b, "severity", a.Severity.String())
	b = appendAddr(b, "src", a.Src)
	b = appendAddr(b, "dst", a.Dst)
	b = appendDevice(b, "src_device", a.SrcDevice)
	b = appendDevice(b, "dst_device", a.DstDevice)
	b = flow.AppendString(b, "summary", a.Summary)
	if len(a.Evidence) > 0 {
		b = flow.AppendKey(b, "evidence")
		b = append(b, '{')
		for i, f := range a.Evidence {
			if i > 0 {
				b = append(b, ',')
			}
			b = flow.AppendQuoted(b, f.Key)
			b = append(b, ':')
			b = flow.AppendQuoted(b, f.Value)
		}
		b = append(b, '}')
	}
	if a.Technique != "" {
		b = flow.AppendString(b, "technique", a.Technique)
	}
	b = flow.AppendInt(b, "count", int64(a.Count))
	return append(b, '}')
}

// Field returns the value of the evidence field key, "" when there is none.
func (a *Alert) Field(key string) string {
	for _, f := range a.Evidence {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

func appendAddr(b []byte, key string, ap netip.AddrPort) []byte {
	if !ap.IsValid() {
		return b
	}
	b = flow.AppendKey(b, key)
	b = append(b, '"')
	if ap.Port() == 0 {
		b = ap.Addr().AppendTo(b)
	} else {
		b = ap.AppendTo(b)
	}
	return append(b, '"')
}

func appendDevice(b []byte, key string, d Device) []byte {
	if d.IsZero() {
		return b
	}
	b = flow.AppendKey(b, key)
	b = append(b, '{')
	n := len(b)
	if d.Name != "" {
		b = flow.AppendString(b, "name", d.Name)
	}
	if d.Class != "" {
		b = flow.AppendString(b, "class", d.Class)
	}
	if len(b) > n && b[n] == ',' {
		b = append(b[:n], b[n+1:]...) // the first member has no comma
	}
	return append(b, '}')
}
