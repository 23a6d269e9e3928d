package ul

import (
	"errors"
	"strings"
	"testing"

	"github.com/medtap/medtap/dicom"
)

// TestLimitBuffered checks the limits LimitBuffered sets from one budget
// on buffered message bytes and a dataset header budget, as a flow adapter
// configures an association from its engine's limits.
func TestLimitBuffered(t *testing.T) {
	tests := []struct {
		budget, header      int // LimitBuffered(budget) after MaxDatasetHeader = header
		command, keep, pdus int // the limits it leaves
	}{
		{0, 0, 0, 0, 0}, // the defaults
		{1 << 20, 0, 1 << 20, 0, 0},
		{1024, 0, 1024, 1024, 1024}, // the default header, capped
		{0, 1 << 20, 0, 1 << 20, 0},
		{0, -1, 0, -1, 0},
		{4096, -1, 4096, -1, 4096},
		{4096, 1 << 20, 4096, 4096, 4096},
		{1 << 20, 4096, 1 << 20, 4096, 0},
		{DefaultMaxAssociateLength, 0, DefaultMaxAssociateLength, 0, 0},
		{DefaultMaxAssociateLength - 1, 0, DefaultMaxAssociateLength - 1, 0, DefaultMaxAssociateLength - 1},
	}
	for _, tt := range tests {
		a := Association{MaxDatasetHeader: tt.header}
		a.LimitBuffered(tt.budget)
		if a.MaxCommandLength != tt.command || a.MaxDatasetHeader != tt.keep || a.MaxAssociateLength != tt.pdus || a.MaxPDULength != 0 {
			t.Errorf("LimitBuffered(%d) with MaxDatasetHeader %d: command %d, header %d, associate %d, PDU %d; want %d, %d, %d, 0",
				tt.budget, tt.header, a.MaxCommandLength, a.MaxDatasetHeader, a.MaxAssociateLength, a.MaxPDULength, tt.command, tt.keep, tt.pdus)
		}
	}
	// Limits set lower than the budget stay.
	a := Association{MaxAssociateLength: 1000, MaxDatasetHeader: 100}
	a.LimitBuffered(4096)
	if a.MaxAssociateLength != 1000 || a.MaxDatasetHeader != 100 || a.MaxCommandLength != 4096 {
		t.Errorf("lower limits: %+v", a)
	}
}

// TestLimitBufferedCommand sends a C-ECHO-RQ whose command set (about
// 100 KiB) exceeds DefaultMaxCommandLength: under a budget it is decoded
// when it fits and reported with ErrCommandTooLong when it does not.
func TestLimitBufferedCommand(t *testing.T) {
	big := cmdSet(CEchoRQ, 7, all(str(tagAffectedSOPClass, dicom.UI, uidVerification), us(tagDataSetType, dataSetTypeNone),
		str(0x00005110, dicom.LT, strings.Repeat("x", 100000))))
	segs := append(assoc12(), seg{0, AppendMessagePart(nil, 1, true, big, 16384)})
	for _, tt := range []struct {
		name    string
		budget  int
		decoded bool
	}{
		{"default", 0, false},
		{"80KiB", 80 << 10, false},
		{"1MiB", 1 << 20, true},
		{"exact", len(big), true},
		{"one-short", len(big) - 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var a Association
			a.LimitBuffered(tt.budget)
			out := runAssociation(&a, segs, 1460)
			last := out[len(out)-1]
			echo := "dimse dir=0 C-ECHO-RQ id=7/0"
			tooLong := "error " + (&Error{Offset: int64(len(segs[0].data)) + 12, Err: ErrCommandTooLong}).Error()
			if tt.decoded && !strings.HasPrefix(last, echo) || !tt.decoded && last != tooLong {
				t.Errorf("last event %q", last)
			}
		})
	}
}

// TestLimitBufferedPDUs checks that the budget applies to the PDUs that are
// buffered whole, not to P-DATA-TF, which is streamed.
func TestLimitBufferedPDUs(t *testing.T) {
	segs := assoc12()
	var a Association
	a.LimitBuffered(len(segs[0].data) - HeaderLen - 1)
	a.Feed(0, segs[0].data)
	if _, err := a.Next(); !errors.Is(err, ErrPDULength) {
		t.Errorf("an A-ASSOCIATE-RQ over the budget: %v", err)
	}
	var id []byte
	id = dicom.AppendString(id, imp, tagQueryLevel, dicom.CS, "STUDY")
	id = dicom.AppendString(id, imp, 0x00104000, dicom.LT, strings.Repeat("x", 20000))
	find := append(AppendMessagePart(nil, 1, true, cmdSet(CFindRQ, 2, all(str(tagAffectedSOPClass, dicom.UI, uidFindStudy), us(tagDataSetType, 0))), 0),
		AppendMessagePart(nil, 1, false, id, 0)...) // one P-DATA-TF of 20 KB
	a = Association{}
	a.LimitBuffered(4096)
	out := runAssociation(&a, append(segs, seg{0, find}), 1460)
	if last := out[len(out)-1]; len(out) != 3 || !strings.HasPrefix(last, "dimse dir=0 C-FIND-RQ id=2/0") || !strings.Contains(last, "level=STUDY") {
		t.Errorf("a P-DATA-TF over the budget:\n%s", strings.Join(out, "\n"))
	}
}
