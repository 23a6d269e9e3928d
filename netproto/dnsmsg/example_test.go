package dnsmsg_test

import (
	"fmt"

	"github.com/medtap/medtap/netproto/dnsmsg"
)

// An mDNS announcement of a DICOM service, as avahi-daemon sends it: a PTR
// from the service type to the instance, the instance's SRV and TXT, and
// the host's address. Names after the first are compressed.
var announcement = []byte{
	0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,
	// _dicom._tcp.local PTR CT Scanner._dicom._tcp.local
	6, '_', 'd', 'i', 'c', 'o', 'm', 4, '_', 't', 'c', 'p', 5, 'l', 'o', 'c', 'a', 'l', 0,
	0x00, 0x0c, 0x00, 0x01, 0x00, 0x00, 0x11, 0x94, 0x00, 0x0d,
	10, 'C', 'T', ' ', 'S', 'c', 'a', 'n', 'n', 'e', 'r', 0xc0, 0x0c,
	// CT Scanner._dicom._tcp.local SRV 0 0 104 mtnm-ct1.local (cache flush)
	0xc0, 0x29, 0x00, 0x21, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x11,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x68, 8, 'm', 't', 'n', 'm', '-', 'c', 't', '1', 0xc0, 0x18,
	// CT Scanner._dicom._tcp.local TXT "aet=CT_SCANNER" "modality=CT"
	0xc0, 0x29, 0x00, 0x10, 0x80, 0x01, 0x00, 0x00, 0x11, 0x94, 0x00, 0x1b,
	14, 'a', 'e', 't', '=', 'C', 'T', '_', 'S', 'C', 'A', 'N', 'N', 'E', 'R',
	11, 'm', 'o', 'd', 'a', 'l', 'i', 't', 'y', '=', 'C', 'T',
	// mtnm-ct1.local A 10.215.0.2 (cache flush)
	0xc0, 0x48, 0x00, 0x01, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x04, 10, 215, 0, 2,
}

func ExampleParser() {
	var p dnsmsg.Parser
	h, err := p.Start(announcement)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("response:", h.Flags.Response())
	var buf []byte
	for p.Next() {
		if p.Section() == dnsmsg.SectionQuestion {
			continue
		}
		r := p.Resource()
		buf = r.Name.AppendTo(buf[:0])
		fmt.Printf("%s %s %q:", r.Section, r.Type, buf)
		switch r.Type {
		case dnsmsg.TypePTR:
			n, _ := r.Target()
			fmt.Printf(" %s", n)
		case dnsmsg.TypeSRV:
			s, _ := r.SRV()
			fmt.Printf(" %s port %d", s.Target, s.Port)
		case dnsmsg.TypeTXT:
			for t := r.TXT(); t.Next(); {
				k, v, _ := t.Pair()
				fmt.Printf(" %s=%s", k, v)
			}
		case dnsmsg.TypeA:
			a, _ := r.A()
			fmt.Printf(" %s", a)
		}
		if s, ok := r.Name.Service(); ok && s.Instance != nil {
			fmt.Printf(" (instance %q of %s)", s.Instance, s.Type)
		}
		fmt.Println()
	}
	if err := p.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// response: true
	// answer PTR "_dicom._tcp.local": CT Scanner._dicom._tcp.local
	// answer SRV "CT Scanner._dicom._tcp.local": mtnm-ct1.local port 104 (instance "CT Scanner" of _dicom._tcp.local)
	// answer TXT "CT Scanner._dicom._tcp.local": aet=CT_SCANNER modality=CT (instance "CT Scanner" of _dicom._tcp.local)
	// additional A "mtnm-ct1.local": 10.215.0.2
}

func ExampleSniff() {
	fmt.Println(dnsmsg.Sniff(announcement), dnsmsg.Sniff([]byte("GET / HTTP/1.1\r\n\r\n")))
	// Output: true false
}
