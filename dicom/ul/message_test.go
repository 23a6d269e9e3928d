package ul

import (
	"strings"
	"testing"

	"github.com/medtap/medtap/dicom"
)

// assoc12 is an association with context 1 (verification, implicit) and 3
// (CT, explicit) accepted, from sampleRQ and sampleAC.
func assoc12() []seg {
	return []seg{{0, AppendAssociate(nil, sampleRQ())}, {1, AppendAssociate(nil, sampleAC())}}
}

func follow(t *testing.T, a *Association, segs []seg) []string {
	t.Helper()
	a.Reset()
	out := runAssociation(a, segs, 5)
	a.Reset()
	if d := diff(out, runAssociation(a, segs, 1<<20)); d != "" {
		t.Errorf("chunking changes the events: %s", d)
	}
	return out
}

func TestMessageCommands(t *testing.T) {
	tests := []struct {
		name string
		cmd  []byte
		want string
	}{
		{"n-action", cmdSet(NActionRQ, 9, all(str(tagRequestedSOPClass, dicom.UI, "1.2.840.10008.1.20.1"), str(tagRequestedInstance, dicom.UI, "1.2.840.10008.1.20.1.1"), us(tagActionTypeID, 1), us(tagDataSetType, dataSetTypeNone))),
			"N-ACTION-RQ id=9/0 req=1.2.840.10008.1.20.1/1.2.840.10008.1.20.1.1 action=1"},
		{"n-event-report", cmdSet(NEventReportRQ, 10, all(str(tagAffectedSOPClass, dicom.UI, "1.2.840.10008.1.20.1"), us(tagEventTypeID, 2), us(tagDataSetType, dataSetTypeNone))),
			"N-EVENT-REPORT-RQ id=10/0 event=2"},
		{"c-cancel", cmdSet(CCancelRQ, 4, us(tagDataSetType, dataSetTypeNone)), "C-CANCEL-RQ id=0/4"},
		{"store-rsp failure with comment", cmdSet(CStoreRSP, 2, all(us(tagStatus, 0xA700), str(tagErrorComment, dicom.LO, "disk full"), us(tagDataSetType, dataSetTypeNone))),
			"C-STORE-RSP id=0/2 status=0xA700 out-of-resources failure comment=disk full"},
		{"move-rq with originator", cmdSet(CStoreRQ, 3, all(str(tagMoveOriginatorAE, dicom.AE, "RADWS "), us(tagMoveOriginatorID, 77), us(tagPriority, 1), us(tagDataSetType, dataSetTypeNone))),
			"C-STORE-RQ id=3/0 prio=1 orig=RADWS/77"},
		{"unknown command", cmdSet(Command(0x0ABC), 1, us(tagDataSetType, dataSetTypeNone)), "DIMSE(0xabc) id=1/0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Association
			segs := append(assoc12(), seg{0, AppendMessagePart(nil, 1, true, tt.cmd, 0)})
			var got string
			a.Reset()
			for _, s := range segs {
				a.Feed(s.dir, s.data)
				for {
					ev, err := a.Next()
					if err == ErrNeedMore {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					if ev.Kind != EventDIMSE {
						continue
					}
					m := ev.Message
					var sb strings.Builder
					sb.WriteString(m.Command.String() + " id=" + itoa(int64(m.MessageID)) + "/" + itoa(int64(m.RespondedTo)))
					if m.RequestedSOPClass != nil {
						sb.WriteString(" req=" + string(m.RequestedSOPClass) + "/" + string(m.RequestedSOPInstance))
					}
					if m.ActionTypeID != 0 {
						sb.WriteString(" action=" + itoa(int64(m.ActionTypeID)))
					}
					if m.EventTypeID != 0 {
						sb.WriteString(" event=" + itoa(int64(m.EventTypeID)))
					}
					if m.HasStatus {
						sb.WriteString(" status=0x" + strings.ToUpper(string("0123456789abcdef"[m.Status>>12])+string("0123456789abcdef"[m.Status>>8&15])+string("0123456789abcdef"[m.Status>>4&15])+string("0123456789abcdef"[m.Status&15])))
						sb.WriteString(" " + m.Status.String() + " " + m.Status.Category().String())
					}
					if m.ErrorComment != nil {
						sb.WriteString(" comment=" + string(m.ErrorComment))
					}
					if m.Priority != 0 {
						sb.WriteString(" prio=" + itoa(int64(m.Priority)))
					}
					if m.MoveOriginatorAE != nil {
						sb.WriteString(" orig=" + string(m.MoveOriginatorAE) + "/" + itoa(int64(m.MoveOriginatorID)))
					}
					got = sb.String()
				}
			}
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestStatusCategory(t *testing.T) {
	for s, want := range map[Status]StatusCategory{0: CategorySuccess, 0xFF00: CategoryPending, 0xFF01: CategoryPending, 0xFE00: CategoryCancel,
		0xB000: CategoryWarning, 0x0107: CategoryWarning, 0xA700: CategoryFailure, 0xC123: CategoryFailure, 0x0122: CategoryFailure} {
		if got := s.Category(); got != want {
			t.Errorf("Status(%#04x).Category() = %v, want %v", uint16(s), got, want)
		}
	}
	if Status(0xC123).String() != "failure" || Status(0xA801).String() != "move-destination-unknown" || Status(0xB123).String() != "warning" {
		t.Error("Status.String")
	}
}

// TestStorePart10 sends a Part 10 file with an executable preamble inside a
// C-STORE, as some senders (and polyglot attacks) do.
func TestStorePart10(t *testing.T) {
	var ds []byte
	ds = dicom.AppendString(ds, dicom.ExplicitVRLittleEndian, tagSOPClassUID, dicom.UI, uidCTImage)
	ds = dicom.AppendString(ds, dicom.ExplicitVRLittleEndian, tagSOPInstanceUID, dicom.UI, "9.8.7")
	ds = dicom.AppendString(ds, dicom.ExplicitVRLittleEndian, tagModality, dicom.CS, "CT")
	meta := &dicom.FileMeta{MediaStorageSOPClassUID: uidCTImage, MediaStorageSOPInstanceUID: "9.8.7", TransferSyntaxUID: uidExplicitLE}
	copy(meta.Preamble[:], "MZ\x90\x00")
	file := dicom.AppendFile(nil, meta, ds)
	segs := append(assoc12(),
		seg{0, AppendMessagePart(nil, 3, true, cmdSet(CStoreRQ, 1, all(str(tagAffectedSOPClass, dicom.UI, uidCTImage), us(tagDataSetType, 0))), 0)},
		seg{0, AppendMessagePart(nil, 3, false, file, 100)})
	var a Association
	out := follow(t, &a, segs)
	a.Reset()
	var m *Message
	for _, s := range segs {
		a.Feed(s.dir, s.data)
		for ev, err := a.Next(); err != ErrNeedMore; ev, err = a.Next() {
			if ev.Kind == EventDIMSE {
				m = ev.Message
			}
		}
	}
	if m == nil {
		t.Fatalf("no message: %q", out)
	}
	if o := m.Object; !o.Part10 || o.Preamble != dicom.PreamblePE || string(o.SOPInstance) != "9.8.7" || string(o.Modality) != "CT" {
		t.Errorf("object %+v", o)
	}
}

func TestAssociationGapInPixelData(t *testing.T) {
	segs := sampleAssociation()
	store := segs[4].data
	// Lose 100 bytes in the middle of the last dataset PDU's pixel data.
	cut := len(store) - 500
	var a Association
	a.MaxDatasetHeader = 1024
	var got []string
	feed := func(dir Dir, b []byte) {
		a.Feed(dir, b)
		for {
			ev, err := a.Next()
			if err == ErrNeedMore {
				return
			}
			if err != nil {
				got = append(got, "error "+err.Error())
				continue
			}
			got = append(got, describe(&a, ev))
		}
	}
	for i, s := range segs {
		if i != 4 {
			feed(s.dir, s.data)
			continue
		}
		feed(0, store[:cut])
		a.Gap(0, 100)
		feed(0, store[cut+100:])
	}
	want := runAssociation(new(Association), segs, 1<<20)
	if len(got) != len(want) || !strings.Contains(got[4], "C-STORE-RQ") || !strings.Contains(got[4], "obj=1.2.840.10008.5.1.4.1.1.2/1.2.3.4.5/CT") {
		t.Errorf("after a gap in pixel data:\n%s", strings.Join(got, "\n"))
	}
	// A gap inside a command set drops that message only.
	a.Reset()
	got = nil
	for i, s := range segs {
		if i != 2 {
			feed(s.dir, s.data)
			continue
		}
		feed(0, s.data[:20])
		a.Gap(0, 10)
		feed(0, s.data[30:])
	}
	if len(got) != len(want)-1 {
		t.Errorf("after a gap in a command:\n%s", strings.Join(got, "\n"))
	}
}

func TestAssociationLimits(t *testing.T) {
	big := cmdSet(CEchoRQ, 1, str(0x00000902, dicom.LO, strings.Repeat("x", 3000)))
	segs := append(assoc12(),
		seg{0, AppendMessagePart(nil, 1, true, big, 1000)},
		seg{0, AppendMessagePart(nil, 1, false, []byte("orphan dataset"), 0)},
		seg{0, AppendMessagePart(nil, 1, true, cmdSet(CEchoRQ, 2, us(tagDataSetType, dataSetTypeNone)), 0)},
	)
	a := Association{MaxCommandLength: 1024}
	out := follow(t, &a, segs)
	base := int64(len(segs[0].data)) // the requestor's stream before the big command
	want := []string{
		"error " + (&Error{Offset: base + 12, Err: ErrCommandTooLong}).Error(),
		"error " + (&Error{Offset: base + int64(len(segs[2].data)) + 12, Err: ErrFragment}).Error(),
		"dimse dir=0 C-ECHO-RQ id=2/0",
	}
	if len(out) != 5 || out[2] != want[0] || out[3] != want[1] || !strings.HasPrefix(out[4], want[2]) {
		t.Errorf("got:\n%s\nwant (after the association):\n%s", strings.Join(out, "\n"), strings.Join(want, "\n"))
	}
}

func TestFlushIncomplete(t *testing.T) {
	segs := sampleAssociation()
	var a Association
	for _, s := range segs[:4] {
		a.Feed(s.dir, s.data)
		for _, err := a.Next(); err != ErrNeedMore; _, err = a.Next() {
		}
	}
	// The C-STORE stops after its command and 3000 bytes of dataset.
	a.Feed(0, segs[4].data[:3000])
	for _, err := a.Next(); err != ErrNeedMore; _, err = a.Next() {
	}
	flush := func(dirs ...Dir) []Event {
		for _, d := range dirs {
			a.Flush(d)
		}
		var evs []Event
		for {
			ev, err := a.Next()
			if err == ErrNeedMore {
				return evs
			}
			if err != nil {
				t.Fatalf("flush %v: %v", dirs, err)
			}
			evs = append(evs, ev)
		}
	}
	if evs := flush(1); len(evs) != 0 {
		t.Errorf("flushed a message in the other direction: %+v", evs)
	}
	evs := flush(0)
	if len(evs) != 1 || evs[0].Kind != EventDIMSE || evs[0].Dir != 0 {
		t.Fatalf("flush: %+v", evs)
	}
	if m := evs[0].Message; m.Command != CStoreRQ || !m.DatasetTruncated || !m.Incomplete || string(m.Object.Modality) != "CT" {
		t.Fatalf("flush: %+v", m)
	}
	if evs := flush(0); len(evs) != 0 {
		t.Errorf("flushed twice: %+v", evs)
	}
	// Both directions flushed at once, each cut inside a dataset.
	a.Reset()
	for _, s := range segs[:4] {
		a.Feed(s.dir, s.data)
		for _, err := a.Next(); err != ErrNeedMore; _, err = a.Next() {
		}
	}
	a.Feed(0, segs[4].data[:3000])
	for _, err := a.Next(); err != ErrNeedMore; _, err = a.Next() {
	}
	find := segs[7].data // C-FIND-RSP with its identifier, cut inside the identifier
	a.Feed(1, find[:len(find)-5])
	for _, err := a.Next(); err != ErrNeedMore; _, err = a.Next() {
	}
	evs = flush(1, 0)
	if len(evs) != 2 || evs[0].Dir != 0 || evs[0].Message.Command != CStoreRQ || !evs[0].Message.Incomplete ||
		evs[1].Dir != 1 || evs[1].Message.Command != CFindRSP || !evs[1].Message.Incomplete {
		t.Errorf("flush both: %+v", evs)
	}
}
