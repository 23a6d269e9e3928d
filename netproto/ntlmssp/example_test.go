package ntlmssp_test

import (
	"fmt"
	"os"
	"time"

	"github.com/medtap/medtap/netproto/ntlmssp"
)

// A server's CHALLENGE, as an SMB2 SESSION_SETUP response carries it
// (recorded from Samba, which names itself as a Windows 6.1 with build 0).
func ExampleParse() {
	blob, err := os.ReadFile("testdata/samba-challenge.spnego")
	if err != nil {
		panic(err)
	}
	tok, err := ntlmssp.Unwrap(blob)
	if err != nil {
		panic(err)
	}
	m, err := ntlmssp.Parse(tok)
	if err != nil {
		panic(err)
	}
	t, err := m.Target()
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Type, m.Version.OS())
	fmt.Println(t.NetBIOSDomain.String(), t.NetBIOSComputer.String(), t.DNSComputer.String())

	win7 := ntlmssp.Version{Major: 6, Minor: 1, Build: 7601, Revision: 15}
	fmt.Println(string(win7.AppendOS(nil)))
	// Output:
	// CHALLENGE Samba (6.1.0)
	// PACSFS01 PACSFS01 pacsfs01.radiology.example
	// Windows 7 SP1 / Server 2008 R2 (6.1.7601)
}

func ExampleAVPairs() {
	blob, _ := os.ReadFile("testdata/samba-challenge.spnego")
	tok, _ := ntlmssp.Unwrap(blob)
	m, _ := ntlmssp.Parse(tok)
	it := m.AVPairs()
	for it.Next() {
		if it.ID() == ntlmssp.AVTimestamp {
			fmt.Println(it.ID(), len(it.Value()), "bytes")
			continue
		}
		fmt.Printf("%v %q\n", it.ID(), it.Text().String())
	}
	if err := it.Err(); err != nil {
		panic(err)
	}
	// Output:
	// MsvAvNbDomainName "PACSFS01"
	// MsvAvNbComputerName "PACSFS01"
	// MsvAvDnsDomainName "radiology.example"
	// MsvAvDnsComputerName "pacsfs01.radiology.example"
	// MsvAvTimestamp 8 bytes
}

func ExampleUnwrap() {
	blob, _ := os.ReadFile("testdata/samba-hints.spnego") // an SMB2 NEGOTIATE response's mechanism hints
	_, err := ntlmssp.Unwrap(blob)
	fmt.Println(err)
	// Output:
	// ntlmssp: no NTLMSSP token in the blob at offset 10
}

func ExampleVersion_EndOfSupport() {
	seen := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, v := range []ntlmssp.Version{{Major: 6, Minor: 1, Build: 7601}, {Major: 10, Minor: 0, Build: 19044}, {Major: 6, Minor: 1, Build: 0}} {
		end, ok := v.EndOfSupport()
		fmt.Println(v.OS(), end.Format(time.DateOnly), ok, v.EndOfLife(seen))
	}
	// Output:
	// Windows 7 SP1 / Server 2008 R2 (6.1.7601) 2020-01-14 true true
	// Windows 10 21H2 / LTSC 2021 (10.0.19044) 2032-01-13 true false
	// Samba (6.1.0) 0001-01-01 false false
}
