package devdb

import (
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// seedFiles are the files of generic evidence (DHCP, HTTP, TLS, LLDP-MED,
// UDI), with the fewest entries each must have.
var seedFiles = map[string]int{"dhcp.db": 8, "http.db": 16, "tls.db": 7, "lldp.db": 2, "udi.db": 2}

// TestSeedFilesLoad: each seed file loads on its own, every entry has a
// source, and its tests look only at the fields of its evidence.
func TestSeedFilesLoad(t *testing.T) {
	fields := map[string]string{"dhcp.db": "dhcp.", "http.db": "http.", "tls.db": "tls.", "lldp.db": "lldp.", "udi.db": "udi"}
	for name, min := range seedFiles {
		b, err := fs.ReadFile(dataFS, "data/"+name)
		if err != nil {
			t.Fatal(err)
		}
		db, err := Load(strings.NewReader(string(b)), name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if db.Len() < min {
			t.Errorf("%s: %d entries, want at least %d", name, db.Len(), min)
		}
		for _, e := range db.Entries() {
			if len(e.Sources) == 0 {
				t.Errorf("%s: %s has no source", name, e.ID)
			}
			for _, x := range e.Tests {
				if !strings.HasPrefix(x.Field.String(), fields[name]) {
					t.Errorf("%s: %s tests %s", name, e.ID, x.Field)
				}
			}
		}
	}
}

// TestSeedSamples matches values seen from real clients and servers (the
// source of each says where) against the default database.
func TestSeedSamples(t *testing.T) {
	for _, c := range []struct {
		name   string
		ev     Evidence
		source string
		want   string // the entry that must match
		os     string // the OS Summarize gives, when one
	}{
		{"windows", Evidence{DHCPVendorClass: "MSFT 5.0"}, "MS-DHCPE 2.2.3", "dhcp-windows-msft-5.0", "Windows 2000 or later"},
		{"windows 98", Evidence{DHCPVendorClass: "MSFT 98"}, "MS-DHCPE 2.2.3", "dhcp-windows-msft-98", "Windows 98 / Me"},
		{"xbox", Evidence{DHCPVendorClass: "MSFT 5.0 XBOX"}, "MS-DHCPE 2.2.3", "dhcp-xbox", ""},
		{"android", Evidence{DHCPVendorClass: "android-dhcp-13"}, "AOSP DhcpPacket.getVendorId", "dhcp-android", "Android"},
		{"udhcpc", Evidence{DHCPVendorClass: "udhcp 1.35.0", DHCPParams: "1,3,6,12,15,28,42"}, "seedsrc/dhcp.sh, BusyBox 1.35.0", "dhcp-busybox-udhcpc", "Linux"},
		{"dhcpcd", Evidence{DHCPVendorClass: "dhcpcd-9.4.1:Linux-6.18.44-fc-v1300:x86_64:AuthenticAMD"}, "seedsrc/dhcp.sh, dhcpcd 9.4.1", "dhcp-dhcpcd-linux", "Linux"},
		{"dhclient", Evidence{DHCPParams: "1,28,2,3,15,6,119,12,44,47,26,121,42"}, "seedsrc/dhcp.sh, ISC dhclient 4.4.3-P1", "dhcp-isc-dhclient-debian", "Linux"},
		{"iis 7.5", Evidence{HTTPServer: "Microsoft-IIS/7.5"}, "WebhostGetVersion requirements", "http-iis-7.5", "Windows 7 / Server 2008 R2"},
		{"iis 6.0", Evidence{HTTPServer: "Microsoft-IIS/6.0"}, "IIS 6.0 SDK", "http-iis-6.0", "Windows Server 2003"},
		{"python server", Evidence{HTTPServer: "MedtapTest/1.0 Python/3.11.7"}, "netproto/http/testdata/http.pcap (a renamed server_version)", "", ""},
		{"simplehttp", Evidence{HTTPServer: "SimpleHTTP/0.6 Python/3.11.7"}, "CPython 3.11 http/server.py", "http-python-http-server", ""},
		{"goahead", Evidence{HTTPServer: "GoAhead-Webs/2.5.0 PeerSec-MatrixSSL/3.4.2-OPEN"}, "GoAhead webs.h", "http-goahead-2", ""},
		{"curl", Evidence{HTTPUserAgent: "curl/7.88.1"}, "netproto/http/testdata/http.pcap", "http-ua-curl", ""},
		{"requests", Evidence{HTTPUserAgent: "python-requests/2.34.2"}, "seedsrc/useragents.sh", "http-ua-python-requests", ""},
		{"java", Evidence{HTTPUserAgent: "Java/17.0.15"}, "seedsrc/useragents.sh", "http-ua-java", ""},
		{"go", Evidence{HTTPUserAgent: "Go-http-client/1.1"}, "Go net/http", "http-ua-go", ""},
		// The curl hello of netproto/tlshello/testdata/peers.pcap.
		{"curl hello", Evidence{JA4: "t13d3112h2_e8f1e7e78f70_b26ce05bbdd6"}, "peers.pcap", "tls-curl-7.88-openssl-3.0", ""},
		// s_client with ALPN dicom in the same capture: another a part,
		// the same cipher suites and extensions.
		{"s_client alpn", Evidence{JA4: "t13d311000_e8f1e7e78f70_1f22a2ca17c4", JA3: "a3afc2c46ba4a7d7fbe1cfb7a3031c2f"}, "seedsrc/tlshellos", "tls-openssl-3.0-s_client", ""},
		{"dcmtk", Evidence{JA4: "t13i080900_a811a161fe38_5ac7197df9d2"}, "seedsrc/tlshellos, DCMTK 3.6.7", "tls-dcmtk-3.6.7", ""},
		{"dcmtk with sni", Evidence{JA4: "t13d090900_a811a161fe38_5ac7197df9d2"}, "the same hello with a server name", "tls-dcmtk-3.6.7", ""},
		{"wget hello", Evidence{JA4: "t13i291200_723694b0fccc_899037bd0b8c"}, "seedsrc/tlshellos, Wget 1.21.3", "tls-wget-1.21-gnutls-3.7", ""},
		{"nginx", Evidence{HTTPServer: "nginx/1.22.1"}, "nginx source", "http-nginx", ""},
		{"avaya phone", Evidence{LLDPManufacturer: "Avaya", LLDPModel: "9608"}, "Avaya 9600 guide", "lldp-avaya", ""},
		{"avaya", Evidence{LLDPManufacturer: "Avaya", LLDPModel: "4850GTS-PWR+"}, "tcpdump decoding", "lldp-avaya-ers-4850gts-pwr", ""},
		{"udi", Evidence{UDI: "00643169007222"}, "C-CDA example, hl7flow tests", "udi-medtronic-viva-quad-xt", ""},
		{"udi hrf", Evidence{UDI: "(01)00643169007222"}, "C-CDA example", "udi-medtronic-viva-quad-xt", ""},
		{"udi other item", Evidence{UDI: "10643169123456"}, "the company prefix", "udi-medtronic-gs1-0643169", ""},
		{"no udi", Evidence{UDI: "00643170007222"}, "another prefix", "", ""},
	} {
		ms := Default().Match(&c.ev, nil)
		var got []string
		for _, m := range ms {
			got = append(got, m.Entry.ID)
		}
		if c.want == "" {
			if len(got) > 0 {
				t.Errorf("%s (%s): matched %q, want nothing", c.name, c.source, got)
			}
			continue
		}
		if !slices.Contains(got, c.want) {
			t.Errorf("%s (%s): matched %q, want %s", c.name, c.source, got, c.want)
		}
		if r := Summarize(ms); r.OS != c.os {
			t.Errorf("%s: OS %q, want %q", c.name, r.OS, c.os)
		}
	}
}

// TestSeedsChangeNoMatch: the seed files change no match of the other
// files. Every entry of those files, tried with evidence made of its
// tests (and the benchmark device), matches the same entries with the
// same scores with and without the seed files, and no seed file tests a
// field any other file tests.
func TestSeedsChangeNoMatch(t *testing.T) {
	old := fstest.MapFS{}
	names, _ := fs.Glob(dataFS, "data/*.db")
	for _, n := range names {
		if _, seed := seedFiles[strings.TrimPrefix(n, "data/")]; seed {
			continue
		}
		b, _ := fs.ReadFile(dataFS, n)
		old[n] = &fstest.MapFile{Data: b}
	}
	base, err := loadFS(old, "data")
	if err != nil {
		t.Fatal(err)
	}
	full := Default()
	oldFields := map[Field]bool{}
	for _, e := range base.Entries() {
		for _, x := range e.Tests {
			oldFields[x.Field] = true
		}
	}
	for _, e := range full.Entries() {
		if _, seed := seedFiles[strings.TrimPrefix(e.File, "data/")]; !seed {
			continue
		}
		for _, x := range e.Tests {
			if oldFields[x.Field] {
				t.Errorf("%s tests %s, which other files test", e.ID, x.Field)
			}
		}
	}
	key := func(ms []Match, onlyOld bool) []string {
		var out []string
		for _, m := range ms {
			if _, seed := seedFiles[strings.TrimPrefix(m.Entry.File, "data/")]; seed && onlyOld {
				continue
			}
			out = append(out, m.Entry.ID+":"+strconv.Itoa(m.Score))
		}
		slices.Sort(out)
		return out
	}
	// The benchmark device (SMB says Windows 7, DHCP "MSFT 5.0"): the
	// seeds add a weaker OS match, and the OS stays the one SMB names.
	if a, b := Summarize(base.Match(&device, nil)), Summarize(full.Match(&device, nil)); a.OS != b.OS || a.Vendor != b.Vendor || a.Product != b.Product {
		t.Errorf("benchmark device: without the seeds %q %q %q, with them %q %q %q", a.Vendor, a.Product, a.OS, b.Vendor, b.Product, b.OS)
	}
	evs := append(sampleEvidence(), device)
	for i := range evs {
		a, b := key(base.Match(&evs[i], nil), false), key(full.Match(&evs[i], nil), true)
		if !slices.Equal(a, b) {
			t.Errorf("evidence %d: without the seeds %q, with them %q", i, a, b)
		}
	}
}
