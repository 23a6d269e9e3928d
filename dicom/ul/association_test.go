package ul

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/medtap/medtap/dicom"
)

const imp = dicom.ImplicitVRLittleEndian

// cmdSet builds a command set with its group length from element appenders.
func cmdSet(c Command, id uint16, more func([]byte) []byte) []byte {
	var b []byte
	b = dicom.AppendUint16s(b, imp, tagCommandField, dicom.US, uint16(c))
	if c.IsResponse() || c == CCancelRQ {
		b = dicom.AppendUint16s(b, imp, tagRespondedTo, dicom.US, id)
	} else {
		b = dicom.AppendUint16s(b, imp, tagMessageID, dicom.US, id)
	}
	if more != nil {
		b = more(b)
	}
	out := dicom.AppendUint32s(nil, imp, 0, dicom.UL, uint32(len(b)))
	return append(out, b...)
}

func us(t dicom.Tag, v uint16) func([]byte) []byte {
	return func(b []byte) []byte { return dicom.AppendUint16s(b, imp, t, dicom.US, v) }
}
func str(t dicom.Tag, vr dicom.VR, v string) func([]byte) []byte {
	return func(b []byte) []byte { return dicom.AppendString(b, imp, t, vr, v) }
}
func all(fs ...func([]byte) []byte) func([]byte) []byte {
	return func(b []byte) []byte {
		for _, f := range fs {
			b = f(b)
		}
		return b
	}
}

type seg struct {
	dir  Dir
	data []byte
}

// sampleAssociation is a whole association: echo, a store of an image split
// over several PDUs, a find with identifier and answers, a move with
// sub-operation counts, release.
func sampleAssociation() []seg {
	noDS := us(tagDataSetType, dataSetTypeNone)
	hasDS := us(tagDataSetType, 0)
	ok := us(tagStatus, 0)
	var img []byte
	img = dicom.AppendString(img, dicom.ExplicitVRLittleEndian, tagSOPClassUID, dicom.UI, uidCTImage)
	img = dicom.AppendString(img, dicom.ExplicitVRLittleEndian, tagSOPInstanceUID, dicom.UI, "1.2.3.4.5")
	img = dicom.AppendString(img, dicom.ExplicitVRLittleEndian, tagModality, dicom.CS, "CT")
	img = dicom.AppendString(img, dicom.ExplicitVRLittleEndian, tagPatientName, dicom.PN, "DOE^JANE")
	img = dicom.AppendString(img, dicom.ExplicitVRLittleEndian, tagPatientID, dicom.LO, "PID42")
	img = dicom.AppendString(img, dicom.ExplicitVRLittleEndian, tagStudyInstanceUID, dicom.UI, "1.2.3")
	img = dicom.AppendString(img, dicom.ExplicitVRLittleEndian, tagSeriesInstanceUID, dicom.UI, "1.2.3.4")
	img = dicom.AppendElement(img, dicom.ExplicitVRLittleEndian, tagPixelData, dicom.OW, bytes.Repeat([]byte{9}, 5000))
	var id []byte
	id = dicom.AppendString(id, imp, tagQueryLevel, dicom.CS, "STUDY")
	id = dicom.AppendString(id, imp, tagPatientName, dicom.PN, "DOE*")
	id = dicom.AppendString(id, imp, tagStudyInstanceUID, dicom.UI, "")
	var ans []byte
	ans = dicom.AppendString(ans, imp, tagQueryLevel, dicom.CS, "STUDY")
	ans = dicom.AppendString(ans, imp, tagStudyInstanceUID, dicom.UI, "1.2.3")

	return []seg{
		{0, AppendAssociate(nil, sampleRQ())},
		{1, AppendAssociate(nil, sampleAC())},
		{0, AppendMessagePart(nil, 1, true, cmdSet(CEchoRQ, 1, all(str(tagAffectedSOPClass, dicom.UI, uidVerification), noDS)), 0)},
		{1, AppendMessagePart(nil, 1, true, cmdSet(CEchoRSP, 1, all(str(tagAffectedSOPClass, dicom.UI, uidVerification), noDS, ok)), 0)},
		{0, append(AppendMessagePart(nil, 3, true, cmdSet(CStoreRQ, 2, all(str(tagAffectedSOPClass, dicom.UI, uidCTImage), us(tagPriority, 0), hasDS, str(tagAffectedInstance, dicom.UI, "1.2.3.4.5"))), 40),
			AppendMessagePart(nil, 3, false, img, 2000)...)},
		{1, AppendMessagePart(nil, 3, true, cmdSet(CStoreRSP, 2, all(noDS, ok)), 0)},
		{0, append(AppendMessagePart(nil, 1, true, cmdSet(CFindRQ, 3, all(str(tagAffectedSOPClass, dicom.UI, uidFindStudy), hasDS)), 0),
			AppendMessagePart(nil, 1, false, id, 0)...)},
		{1, append(AppendMessagePart(nil, 1, true, cmdSet(CFindRSP, 3, all(hasDS, us(tagStatus, 0xFF00))), 0),
			AppendMessagePart(nil, 1, false, ans, 0)...)},
		{1, AppendMessagePart(nil, 1, true, cmdSet(CFindRSP, 3, all(noDS, ok)), 0)},
		{0, append(AppendMessagePart(nil, 1, true, cmdSet(CMoveRQ, 4, all(str(tagAffectedSOPClass, dicom.UI, "1.2.840.10008.5.1.4.1.2.2.2"), hasDS, str(tagMoveDestination, dicom.AE, "EVIL_AE"))), 0),
			AppendMessagePart(nil, 1, false, id, 0)...)},
		{1, AppendMessagePart(nil, 1, true, cmdSet(CMoveRSP, 4, all(noDS, us(tagStatus, 0xB000), us(tagRemaining, 0), us(tagCompleted, 5), us(tagFailed, 1), us(tagWarning, 0))), 0)},
		{0, AppendRelease(nil, TypeReleaseRQ)},
		{1, AppendRelease(nil, TypeReleaseRP)},
	}
}

// describe renders an event in a form independent of chunking.
func describe(a *Association, ev Event) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%v dir=%d", ev.Kind, ev.Dir)
	switch ev.Kind {
	case EventAssociateRQ, EventAssociateAC:
		r := ev.Associate
		u := &r.UserInfo
		fmt.Fprintf(&sb, " %s->%s ctx=%d impl=%s ver=%s max=%d roles=%d ext=%d/%d unknown=%d", r.CallingAE, r.CalledAE, len(r.Contexts),
			u.ImplementationClassUID, u.ImplementationVersionName, u.MaxLength, len(u.Roles), len(u.Extended), len(u.CommonExtended), len(r.Unknown))
		if u.Identity.Present {
			fmt.Fprintf(&sb, " identity=%s/%q/%d-byte-secret/%q", u.Identity.Type, u.Identity.Primary, len(u.Identity.Secondary), u.Identity.ServerResponse)
		}
	case EventAssociateRJ:
		fmt.Fprintf(&sb, " %v %v %s", ev.Reject.Result, ev.Reject.Source, ev.Reject.ReasonString())
	case EventAbort:
		fmt.Fprintf(&sb, " %v %s", ev.Abort.Source, ev.Abort.ReasonString())
	case EventDIMSE:
		m := ev.Message
		fmt.Fprintf(&sb, " %v id=%d/%d ctx=%d as=%s ts=%s sop=%s inst=%s", m.Command, m.MessageID, m.RespondedTo, m.ContextID, m.AbstractSyntax, m.TransferSyntax, m.AffectedSOPClass, m.AffectedSOPInstance)
		if m.HasStatus {
			fmt.Fprintf(&sb, " status=0x%04X(%v)", uint16(m.Status), m.Status)
		}
		if m.MoveDestination != nil {
			fmt.Fprintf(&sb, " dest=%s", m.MoveDestination)
		}
		if m.Completed >= 0 {
			fmt.Fprintf(&sb, " subops=%d/%d/%d/%d", m.Remaining, m.Completed, m.Failed, m.Warning)
		}
		if m.HasDataset {
			fmt.Fprintf(&sb, " ds=%d trunc=%v", m.DatasetLength, m.DatasetTruncated)
		}
		if m.QueryLevel != nil || len(m.Query) > 0 {
			fmt.Fprintf(&sb, " level=%s", m.QueryLevel)
			for _, e := range m.Query {
				fmt.Fprintf(&sb, " %v=%q", e.Tag, e.Value)
			}
		}
		if o := m.Object; o.SOPInstance != nil {
			fmt.Fprintf(&sb, " obj=%s/%s/%s study=%s series=%s pid=%s name=%v", o.SOPClass, o.SOPInstance, o.Modality, o.StudyInstanceUID, o.SeriesInstanceUID, o.PatientID, o.HasPatientName)
		}
	}
	return sb.String()
}

func runAssociation(a *Association, segs []seg, size int) []string {
	var out []string
	for _, s := range segs {
		for _, c := range chunk(s.data, size) {
			a.Feed(s.dir, c)
			for {
				ev, err := a.Next()
				if err == ErrNeedMore {
					break
				}
				if err != nil {
					out = append(out, "error "+err.Error())
					continue
				}
				out = append(out, describe(a, ev))
			}
		}
	}
	return out
}

func TestAssociation(t *testing.T) {
	segs := sampleAssociation()
	var a Association
	a.MaxDatasetHeader = 1024
	want := []string{
		`associate-rq dir=0 CT01->ARCHIVE ctx=3 impl=1.2.276.0.7230010.3.0.3.6.7 ver=OFFIS_DCMTK_367 max=16384 roles=1 ext=1/1 unknown=0 identity=username-password/"admin"/6-byte-secret/""`,
		`associate-ac dir=1 CT01->ARCHIVE ctx=3 impl=1.2.826.0.1.3680043.2.1143.107.104.103.115 ver=ORTHANC_1_12 max=32768 roles=0 ext=0/0 unknown=0 identity=unknown/""/0-byte-secret/"ok"`,
		"dimse dir=0 C-ECHO-RQ id=1/0 ctx=1 as=1.2.840.10008.1.1 ts=1.2.840.10008.1.2 sop=1.2.840.10008.1.1 inst=",
		"dimse dir=1 C-ECHO-RSP id=0/1 ctx=1 as=1.2.840.10008.1.1 ts=1.2.840.10008.1.2 sop=1.2.840.10008.1.1 inst= status=0x0000(success)",
		"dimse dir=0 C-STORE-RQ id=2/0 ctx=3 as=1.2.840.10008.5.1.4.1.1.2 ts=1.2.840.10008.1.2.1 sop=1.2.840.10008.5.1.4.1.1.2 inst=1.2.3.4.5 ds=5134 trunc=true obj=1.2.840.10008.5.1.4.1.1.2/1.2.3.4.5/CT study=1.2.3 series=1.2.3.4 pid=PID42 name=true",
		"dimse dir=1 C-STORE-RSP id=0/2 ctx=3 as=1.2.840.10008.5.1.4.1.1.2 ts=1.2.840.10008.1.2.1 sop= inst= status=0x0000(success)",
		`dimse dir=0 C-FIND-RQ id=3/0 ctx=1 as=1.2.840.10008.1.1 ts=1.2.840.10008.1.2 sop=1.2.840.10008.5.1.4.1.2.2.1 inst= ds=34 trunc=false level=STUDY (0010,0010)="DOE*" (0020,000D)=""`,
		`dimse dir=1 C-FIND-RSP id=0/3 ctx=1 as=1.2.840.10008.1.1 ts=1.2.840.10008.1.2 sop= inst= status=0xFF00(pending) ds=28 trunc=false level=STUDY (0020,000D)="1.2.3"`,
		"dimse dir=1 C-FIND-RSP id=0/3 ctx=1 as=1.2.840.10008.1.1 ts=1.2.840.10008.1.2 sop= inst= status=0x0000(success)",
		`dimse dir=0 C-MOVE-RQ id=4/0 ctx=1 as=1.2.840.10008.1.1 ts=1.2.840.10008.1.2 sop=1.2.840.10008.5.1.4.1.2.2.2 inst= dest=EVIL_AE ds=34 trunc=false level=STUDY (0010,0010)="DOE*" (0020,000D)=""`,
		"dimse dir=1 C-MOVE-RSP id=0/4 ctx=1 as=1.2.840.10008.1.1 ts=1.2.840.10008.1.2 sop= inst= status=0xB000(warning-coercion-or-sub-operations-failed) subops=0/5/1/0",
		"release-rq dir=0",
		"release-rp dir=1",
	}
	for _, size := range []int{1, 3, 7, 100, 1 << 20} {
		a.Reset()
		got := runAssociation(&a, segs, size)
		if d := diff(want, got); d != "" {
			t.Errorf("chunk size %d: %s", size, d)
		}
	}
	if string(a.CallingAE()) != "CT01" || string(a.CalledAE()) != "ARCHIVE" {
		t.Errorf("AE titles %q %q", a.CallingAE(), a.CalledAE())
	}
}
