package intellivue

import (
	"bytes"
	"testing"
)

// twoAlarmObservations is an alarm poll result of two objects: 0xABCD with
// a new high priority alarm, 0xBCDE with a high priority one.
func twoAlarmObservations() []byte {
	list := func(entry []byte) []byte { return append(u16(nil, 1), withLen(nil, entry)...) }
	return pollReply(4, 3, MOCAlarm, true, 0, 0,
		obs{0xABCD, []ava{{AttrAlarmListPhys, list(alarmEntry(0xF0B2, AlertHighPhysio, AlertNew, "**HR 150 > 120"))}}},
		obs{0xBCDE, []ava{{AttrAlarmListTech, list(alarmEntry(0xF0B4, AlertHighTech, 0, ""))}}},
	)
}

// patch returns a copy of b with the byte at offset at (from the start of
// the first occurrence of pattern) set to v.
func patch(t *testing.T, b, pattern []byte, at int, v byte) []byte {
	t.Helper()
	i := bytes.Index(b, pattern)
	if i < 0 || bytes.Contains(b[i+1:], pattern) {
		t.Fatalf("pattern %x not found once", pattern)
	}
	c := append([]byte(nil), b...)
	c[i+at] = v
	return c
}

func pollReplyOf(t *testing.T, b []byte) PollReply {
	t.Helper()
	m, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.PollReply()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAlarmCounts(t *testing.T) {
	good := twoAlarmObservations()
	for _, tt := range []struct {
		name       string
		in         []byte
		want       AlarmCounts
		wantErr    error
		off        int64
		summaryErr error
	}{
		{"simulated monitor", pollReply(4, 3, MOCAlarm, true, 0, 0, alarmObservations()...), AlarmCounts{High: 1, New: 1}, nil, 0, nil},
		{"two objects", good, AlarmCounts{High: 2, New: 1}, nil, 0, nil},
		// The first object declares two attributes and holds one: the
		// second object is still counted, and Summary reports the error.
		{"attribute list short", patch(t, good, []byte{0xAB, 0xCD, 0x00, 0x01}, 3, 2), AlarmCounts{High: 2, New: 1}, nil, 0, ErrTruncated},
		// The second object's alarm list, the last bytes of the
		// datagram, declares two entries and holds one.
		{"alarm list short", patch(t, good, []byte{0xBC, 0xDE, 0x00, 0x01}, 11, 2), AlarmCounts{High: 2, New: 1}, ErrTruncated, int64(len(good)), nil},
		{"numerics", pollReply(2, 1, MOCNumeric, false, 0, 0, numericObservations()...), AlarmCounts{}, nil, 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pollReplyOf(t, tt.in)
			got, err := p.AlarmCounts()
			if got != tt.want || (tt.wantErr == nil) != (err == nil) || tt.wantErr != nil && !isErrAt(err, tt.wantErr, tt.off) {
				t.Errorf("got %+v, %v; want %+v, %v at %d", got, err, tt.want, tt.wantErr, tt.off)
			}
			if _, err := p.Summary(); (tt.summaryErr == nil) != (err == nil) {
				t.Errorf("Summary: %v, want %v", err, tt.summaryErr)
			}
		})
	}
}

func TestPatientSummary(t *testing.T) {
	full := PatientSummary{Objects: 1, HasName: true, HasID: true, HasDOB: true, HasSex: true, HasState: true, State: PatientAdmitted}
	demog := demographicsObservations()
	// A second object holding only the family name and a DOB that the
	// test cuts to four bytes.
	second := obs{0x0011, []ava{{AttrPatientFamily, utf16("Roe")}, {AttrPatientDOB, []byte{0x19, 0x81, 0x03, 0x30, 0, 0, 0, 0}}}}
	two := pollReply(6, 5, MOCDemog, false, 0, 0, append(demog, second)...)
	secondDOB := []byte{0x09, 0x58, 0x00, 0x08, 0x19, 0x81}
	for _, tt := range []struct {
		name    string
		in      []byte
		want    PatientSummary
		wantErr error
		off     int64
	}{
		{"admitted patient", pollReply(6, 5, MOCDemog, false, 0, 0, demog...), full, nil, 0},
		{"two objects", two, PatientSummary{Objects: 2, HasName: true, HasID: true, HasDOB: true, HasSex: true, HasState: true, State: PatientAdmitted}, nil, 0},
		// The error is at the DOB's value.
		{"short DOB", patch(t, two, secondDOB, 3, 4), full, ErrLength, int64(bytes.Index(two, secondDOB) + 4)},
		{"empty monitor", pollReply(6, 5, MOCDemog, false, 0, 0, obs{0x0010, []ava{{AttrPatientState, u16(nil, uint16(PatientEmpty))}}}),
			PatientSummary{Objects: 1, HasState: true, State: PatientEmpty}, nil, 0},
		{"no object", pollReply(6, 5, MOCDemog, false, 0, 0), PatientSummary{}, nil, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := pollReplyOf(t, tt.in)
			got, err := p.PatientSummary()
			if got != tt.want || (tt.wantErr == nil) != (err == nil) || tt.wantErr != nil && !isErrAt(err, tt.wantErr, tt.off) {
				t.Errorf("got %+v, %v; want %+v, %v at %d", got, err, tt.want, tt.wantErr, tt.off)
			}
		})
	}
}
