package oui_test

import (
	"fmt"

	"github.com/medtap/medtap/fingerprint/devdb/oui"
)

func ExampleLookup() {
	org, ok := oui.Lookup([6]byte{0x00, 0x09, 0xfb, 0x12, 0x34, 0x56})
	fmt.Println(org, ok)
	// Output: Philips Patient Monitoring true
}
