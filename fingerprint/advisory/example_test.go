package advisory_test

import (
	"fmt"

	"github.com/medtap/medtap/fingerprint/advisory"
)

func ExampleMatch() {
	// A Welch Allyn Connex Spot Monitor, its version seen on the wire.
	for _, a := range advisory.Match("Welch Allyn", "Connex Spot Monitor", "1.40") {
		fmt.Println(a.ID, a.Status, a.Product, a.Versions)
		for _, c := range a.CVEs {
			fmt.Println("  ", c.ID, c.Score)
		}
	}
	// Output:
	// ICSMA-21-152-01 affected Welch Allyn Connex Spot Monitor (CSM) < 1.52
	//    CVE-2021-27408 5.9
	//    CVE-2021-27410 5.9
	// ICSMA-24-151-02 affected Welch Allyn Connex Spot Monitor (CSM) <=1.52
	//    CVE-2024-1275 7.4
}

func ExampleMatch_versionUnknown() {
	// No version seen: every advisory of the product, marked so.
	for _, a := range advisory.Match("GE Healthcare", "Optima CT540", "") {
		fmt.Println(a.ID, a.Status, len(a.CVEs), "CVEs")
	}
	// Output:
	// ICSMA-20-343-01 version unknown 2 CVEs
}

func ExampleAppendMatch() {
	// One buffer reused for many devices: no allocation once it has grown.
	buf := make([]advisory.Advisory, 0, 16)
	for _, dev := range []struct{ vendor, product, version string }{
		{"Philips Medical Systems", "IntelliVue MX40", "B.06.01"},
		{"Philips", "IntelliVue MX40", "B.06.18"}, // the fixed version
		{"Baxter", "Sigma Spectrum", "8.1"},       // ranges written as prose
	} {
		buf = advisory.AppendMatch(buf[:0], dev.vendor, dev.product, dev.version)
		fmt.Println(dev.product, dev.version, len(buf))
		for _, a := range buf {
			fmt.Println("  ", a.ID, a.Status)
		}
	}
	// Output:
	// IntelliVue MX40 B.06.01 1
	//    ICSMA-17-255-01 affected
	// IntelliVue MX40 B.06.18 0
	// Sigma Spectrum 8.1 2
	//    ICSMA-20-170-04 version not comparable
	//    ICSMA-22-251-01 version not comparable
}
