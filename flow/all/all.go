// Package all registers every protocol adapter of medtap with package flow.
// A binary that should decode everything imports it for its side effect:
//
//	import _ "github.com/medtap/medtap/flow/all"
//
// A program that needs only some protocols imports only their adapter
// packages instead, and links nothing of the others.
package all

import (
	// The engine tries content matchers in registration order, which is
	// the order of these import paths: Go initializes packages sorted by
	// import path.
	_ "github.com/medtap/medtap/flow/astmflow"
	_ "github.com/medtap/medtap/flow/dhcpflow"
	_ "github.com/medtap/medtap/flow/dicomflow"
	_ "github.com/medtap/medtap/flow/ftpflow"
	_ "github.com/medtap/medtap/flow/hl7flow"
	_ "github.com/medtap/medtap/flow/httpflow"
	_ "github.com/medtap/medtap/flow/intellivueflow"
	_ "github.com/medtap/medtap/flow/lldpflow"
	_ "github.com/medtap/medtap/flow/llmnrflow"
	_ "github.com/medtap/medtap/flow/mailflow"
	_ "github.com/medtap/medtap/flow/mdnsflow"
	_ "github.com/medtap/medtap/flow/nbnsflow"
	_ "github.com/medtap/medtap/flow/poct1aflow"
	_ "github.com/medtap/medtap/flow/smbflow"
	_ "github.com/medtap/medtap/flow/snmpflow"
	_ "github.com/medtap/medtap/flow/telnetflow"
	_ "github.com/medtap/medtap/flow/tlsflow"
)
