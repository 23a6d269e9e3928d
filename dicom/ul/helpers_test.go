package ul

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

const (
	uidVerification = "1.2.840.10008.1.1"
	uidCTImage      = "1.2.840.10008.5.1.4.1.1.2"
	uidFindStudy    = "1.2.840.10008.5.1.4.1.2.2.1"
	uidImplicitLE   = "1.2.840.10008.1.2"
	uidExplicitLE   = "1.2.840.10008.1.2.1"
	uidAppContext   = "1.2.840.10008.3.1.1.1"
)

func b(s string) []byte { return []byte(s) }

// sampleRQ is an A-ASSOCIATE-RQ with every item and sub-item.
func sampleRQ() *Associate {
	return &Associate{
		Type: TypeAssociateRQ, ProtocolVersion: 1,
		CalledAE: b("ARCHIVE"), CallingAE: b("CT01"),
		ApplicationContext: b(uidAppContext),
		Contexts: []PresentationContext{
			{ID: 1, AbstractSyntax: b(uidVerification), TransferSyntaxes: [][]byte{b(uidImplicitLE)}},
			{ID: 3, AbstractSyntax: b(uidCTImage), TransferSyntaxes: [][]byte{b(uidExplicitLE), b(uidImplicitLE)}},
			{ID: 5, AbstractSyntax: b(uidFindStudy), TransferSyntaxes: [][]byte{b(uidImplicitLE)}},
		},
		UserInfo: UserInfo{
			MaxLength: 16384, HasMaxLength: true,
			ImplementationClassUID:    b("1.2.276.0.7230010.3.0.3.6.7"),
			ImplementationVersionName: b("OFFIS_DCMTK_367"),
			MaxOpsInvoked:             1, MaxOpsPerformed: 1, HasAsyncOps: true,
			Roles:          []RoleSelection{{SOPClass: b(uidCTImage), SCU: 1, SCP: 1}},
			Extended:       []ExtendedNegotiation{{SOPClass: b(uidFindStudy), Info: []byte{1, 1, 0}}},
			CommonExtended: []CommonExtendedNegotiation{{SOPClass: b(uidCTImage), ServiceClass: b("1.2.840.10008.4.2"), RelatedGeneral: []byte{0, 3, '1', '.', '2'}}},
			Identity:       UserIdentity{Present: true, Type: IdentityUsernamePassword, PositiveResponse: true, Primary: b("admin"), Secondary: b("secret")},
		},
	}
}

func sampleAC() *Associate {
	return &Associate{
		Type: TypeAssociateAC, ProtocolVersion: 1,
		CalledAE: b("ARCHIVE"), CallingAE: b("CT01"),
		ApplicationContext: b(uidAppContext),
		Contexts: []PresentationContext{
			{ID: 1, Result: ResultAcceptance, TransferSyntaxes: [][]byte{b(uidImplicitLE)}},
			{ID: 3, Result: ResultAcceptance, TransferSyntaxes: [][]byte{b(uidExplicitLE)}},
			{ID: 5, Result: ResultAbstractSyntaxNotSupported, TransferSyntaxes: [][]byte{b(uidImplicitLE)}},
		},
		UserInfo: UserInfo{
			MaxLength: 32768, HasMaxLength: true,
			ImplementationClassUID:    b("1.2.826.0.1.3680043.2.1143.107.104.103.115"),
			ImplementationVersionName: b("ORTHANC_1_12"),
			Identity:                  UserIdentity{Present: true, ServerResponse: b("ok")},
		},
	}
}

// sampleStream is one direction with every PDU type, PDVs split across
// several PDUs and several PDVs in one PDU.
func sampleStream() []byte {
	var s []byte
	s = AppendAssociate(s, sampleRQ())
	s = AppendAssociate(s, sampleAC())
	s = AppendPData(s, 1, ControlCommand|ControlLast, bytes.Repeat([]byte{0xAB}, 70))
	s = AppendPData(s, 3, 0, bytes.Repeat([]byte{1}, 1000))
	// Two PDVs in one PDU, the second empty.
	p := AppendPData(nil, 3, 0, bytes.Repeat([]byte{2}, 10))
	p = append(p, 0, 0, 0, 2, 3, byte(ControlLast))
	p[5] += 6
	s = append(s, p...)
	s = AppendReject(s, Reject{Result: 1, Source: 1, Reason: 7})
	s = AppendRelease(s, TypeReleaseRQ)
	s = AppendRelease(s, TypeReleaseRP)
	s = AppendAbort(s, Abort{Source: 2, Reason: 6})
	return s
}

// trace decodes chunks and describes what came out in a form that does not
// depend on how the stream was cut: PDUs with their bodies, PDVs with their
// whole values, errors with their offsets.
func trace(d *Decoder, chunks [][]byte) []string {
	var out []string
	var pdv []byte
	for _, c := range chunks {
		d.Feed(c)
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			if err != nil {
				var e *Error
				if errors.As(err, &e) {
					out = append(out, fmt.Sprintf("error %d %v", e.Offset, e.Err))
				} else {
					out = append(out, "error "+err.Error())
				}
				if it.Kind == 0 {
					continue
				}
			}
			switch it.Kind {
			case KindPDU:
				out = append(out, fmt.Sprintf("%v@%d %x", it.Type, it.Offset, it.Body))
			case KindPData:
				out = append(out, fmt.Sprintf("%v@%d len %d", it.Type, it.Offset, it.Length))
			case KindPDV:
				if it.First {
					pdv = pdv[:0]
				}
				pdv = append(pdv, it.Body...)
				if it.Last {
					out = append(out, fmt.Sprintf("PDV ctx %d ctl %d len %d %x", it.ContextID, it.Control, it.Length, pdv))
				}
			}
		}
	}
	return out
}

func chunk(s []byte, sizes ...int) [][]byte {
	var out [][]byte
	for i := 0; len(s) > 0; i++ {
		n := sizes[i%len(sizes)]
		n = min(max(n, 1), len(s))
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

func diff(a, b []string) string {
	for i := range max(len(a), len(b)) {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  %.200s\n  %.200s", i, x, y)
		}
	}
	return strings.Join(nil, "")
}
