package ul_test

import (
	"fmt"

	"github.com/medtap/medtap/dicom"
	"github.com/medtap/medtap/dicom/ul"
)

// Follow a C-ECHO on an association, as a capture delivers the two
// directions of its TCP connection.
func Example() {
	rq := &ul.Associate{
		Type: ul.TypeAssociateRQ, ProtocolVersion: 1,
		CallingAE: []byte("CT01"), CalledAE: []byte("PACS"),
		ApplicationContext: []byte("1.2.840.10008.3.1.1.1"),
		Contexts: []ul.PresentationContext{{ID: 1, AbstractSyntax: []byte("1.2.840.10008.1.1"),
			TransferSyntaxes: [][]byte{[]byte("1.2.840.10008.1.2")}}},
		UserInfo: ul.UserInfo{MaxLength: 16384, HasMaxLength: true, ImplementationClassUID: []byte("1.2.3")},
	}
	ac := &ul.Associate{
		Type: ul.TypeAssociateAC, ProtocolVersion: 1, CallingAE: rq.CallingAE, CalledAE: rq.CalledAE,
		ApplicationContext: rq.ApplicationContext,
		Contexts:           []ul.PresentationContext{{ID: 1, TransferSyntaxes: [][]byte{[]byte("1.2.840.10008.1.2")}}},
	}
	var echo []byte
	echo = dicom.AppendString(echo, dicom.ImplicitVRLittleEndian, 0x00000002, dicom.UI, "1.2.840.10008.1.1")
	echo = dicom.AppendUint16s(echo, dicom.ImplicitVRLittleEndian, 0x00000100, dicom.US, uint16(ul.CEchoRQ))
	echo = dicom.AppendUint16s(echo, dicom.ImplicitVRLittleEndian, 0x00000110, dicom.US, 7)
	echo = dicom.AppendUint16s(echo, dicom.ImplicitVRLittleEndian, 0x00000800, dicom.US, 0x0101)

	stream := []struct {
		dir  ul.Dir
		data []byte
	}{
		{ul.FromRequestor, ul.AppendAssociate(nil, rq)},
		{ul.FromAcceptor, ul.AppendAssociate(nil, ac)},
		{ul.FromRequestor, ul.AppendPData(nil, 1, ul.ControlCommand|ul.ControlLast, echo)},
		{ul.FromRequestor, ul.AppendRelease(nil, ul.TypeReleaseRQ)},
	}
	var a ul.Association
	for _, s := range stream {
		a.Feed(s.dir, s.data)
		for {
			ev, err := a.Next()
			if err == ul.ErrNeedMore {
				break
			}
			if err != nil {
				fmt.Println("error:", err)
				continue
			}
			switch ev.Kind {
			case ul.EventAssociateRQ:
				fmt.Printf("%v %s -> %s, %d context(s)\n", ev.Kind, ev.Associate.CallingAE, ev.Associate.CalledAE, len(ev.Associate.Contexts))
			case ul.EventDIMSE:
				m := ev.Message
				fmt.Printf("%v %v id=%d sop=%s\n", ev.Kind, m.Command, m.MessageID, m.AffectedSOPClass)
			default:
				fmt.Println(ev.Kind)
			}
		}
	}
	// Output:
	// associate-rq CT01 -> PACS, 1 context(s)
	// associate-ac
	// dimse C-ECHO-RQ id=7 sop=1.2.840.10008.1.1
	// release-rq
}

// Decode one direction of a stream, cut anywhere: PDUs come whole, P-DATA-TF
// PDVs come as views of the fed bytes.
func ExampleDecoder() {
	var stream []byte
	stream = ul.AppendPData(stream, 1, ul.ControlCommand|ul.ControlLast, []byte("command set"))
	stream = ul.AppendRelease(stream, ul.TypeReleaseRQ)

	var d ul.Decoder
	for _, chunk := range [][]byte{stream[:9], stream[9:20], stream[20:]} {
		d.Feed(chunk)
		for {
			it, err := d.Next()
			if err == ul.ErrNeedMore {
				break
			}
			if err != nil {
				fmt.Println("error:", err)
				continue
			}
			switch it.Kind {
			case ul.KindPDU, ul.KindPData:
				fmt.Printf("%v at %d, %d bytes\n", it.Type, it.Offset, it.Length)
			case ul.KindPDV:
				fmt.Printf("  PDV context %d command=%v first=%v last=%v %q\n", it.ContextID, it.Command(), it.First, it.Last, it.Body)
			}
		}
	}
	// Output:
	// P-DATA-TF at 0, 17 bytes
	//   PDV context 1 command=true first=true last=false "command "
	//   PDV context 1 command=true first=false last=true "set"
	// A-RELEASE-RQ at 23, 4 bytes
}

// Tell DICOM from other traffic by the first bytes of a connection.
func ExampleSniff() {
	rq := ul.AppendAssociate(nil, &ul.Associate{Type: ul.TypeAssociateRQ, ProtocolVersion: 1,
		CallingAE: []byte("CT01"), CalledAE: []byte("PACS")})
	fmt.Println(ul.Sniff(rq))
	fmt.Println(ul.Sniff(ul.AppendPData(nil, 1, ul.ControlCommand|ul.ControlLast, []byte("command set"))))
	fmt.Println(ul.Sniff([]byte("GET / HTTP/1.1\r\n")))
	// Output:
	// true
	// true
	// false
}

// At the end of a connection, Flush reports a message whose dataset was
// cut short.
func ExampleAssociation_Flush() {
	var store []byte
	store = dicom.AppendUint16s(store, dicom.ImplicitVRLittleEndian, 0x00000100, dicom.US, uint16(ul.CStoreRQ))
	store = dicom.AppendUint16s(store, dicom.ImplicitVRLittleEndian, 0x00000110, dicom.US, 1)
	store = dicom.AppendUint16s(store, dicom.ImplicitVRLittleEndian, 0x00000800, dicom.US, 0)
	var ds []byte
	ds = dicom.AppendString(ds, dicom.ExplicitVRLittleEndian, 0x00080060, dicom.CS, "CT")
	ds = dicom.AppendElement(ds, dicom.ExplicitVRLittleEndian, 0x7FE00010, dicom.OW, make([]byte, 4000))

	var a ul.Association
	events := func() {
		for {
			ev, err := a.Next()
			if err == ul.ErrNeedMore {
				return
			}
			if err != nil {
				fmt.Println("error:", err)
				continue
			}
			m := ev.Message
			fmt.Printf("%v %v modality=%s incomplete=%v, %d bytes of dataset\n", ev.Kind, m.Command, m.Object.Modality, m.Incomplete, m.DatasetLength)
		}
	}
	a.Feed(ul.FromRequestor, ul.AppendPData(nil, 1, ul.ControlCommand|ul.ControlLast, store))
	events()
	a.Feed(ul.FromRequestor, ul.AppendPData(nil, 1, 0, ds[:1000])) // the capture stops here
	events()
	a.Flush(ul.FromRequestor)
	events()
	// Output:
	// dimse C-STORE-RQ modality=CT incomplete=true, 1000 bytes of dataset
}
