package ntlmssp

import (
	"testing"
	"time"
)

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestEndOfSupport(t *testing.T) {
	tests := []struct {
		v    Version
		want time.Time // zero: none known
	}{
		{Version{5, 1, 2600, 15}, day(2014, 4, 8)},
		{Version{5, 2, 3790, 15}, day(2015, 7, 14)},
		{Version{6, 0, 6000, 15}, day(2017, 4, 11)},
		{Version{6, 0, 6002, 15}, day(2020, 1, 14)}, // Vista SP2 or Server 2008 SP2: the later
		{Version{6, 1, 7601, 15}, day(2020, 1, 14)},
		{Version{6, 1, 7602, 15}, day(2020, 1, 14)}, // a 6.1 build not in the table: the family
		{Version{6, 1, 0, 15}, time.Time{}},         // Samba
		{Version{6, 2, 9200, 15}, day(2023, 10, 10)},
		{Version{6, 3, 9600, 15}, day(2023, 10, 10)},
		{Version{10, 0, 19045, 15}, day(2025, 10, 14)},
		{Version{10, 0, 19044, 15}, day(2032, 1, 13)}, // IoT Enterprise LTSC 2021
		{Version{10, 0, 17763, 15}, day(2029, 1, 9)},
		{Version{10, 0, 14393, 15}, day(2027, 1, 12)},
		{Version{10, 0, 26100, 15}, time.Time{}},
		{Version{10, 0, 27000, 15}, time.Time{}},
		{Version{12, 0, 1, 15}, time.Time{}},
		{Version{}, time.Time{}},
	}
	for _, tt := range tests {
		got, ok := tt.v.EndOfSupport()
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("%v: %v %v, want %v", tt.v, got, ok, tt.want)
		}
	}
	w10 := Version{10, 0, 19045, 15}
	if w10.EndOfLife(day(2025, 10, 14).Add(23*time.Hour)) || !w10.EndOfLife(day(2025, 10, 15)) {
		t.Error("EndOfLife: the last day of support is still supported")
	}
	if (Version{6, 1, 0, 15}).EndOfLife(day(2100, 1, 1)) {
		t.Error("Samba end of life")
	}
}

// TestLifecycleTable checks that every build with an end date is a build
// or family the table of names knows, and that no entry is listed twice.
func TestLifecycleTable(t *testing.T) {
	seen := map[[3]int]bool{}
	for _, l := range lifecycle {
		k := [3]int{int(l.major), int(l.minor), int(l.build)}
		if seen[k] {
			t.Errorf("%v listed twice", k)
		}
		seen[k] = true
		v := Version{Major: l.major, Minor: l.minor, Build: l.build}
		if l.build == anyBuild {
			v.Build = 1
		}
		if v.Name() == "" {
			t.Errorf("%v: no name", k)
		}
		if l.y != 0 && (l.y < 2000 || l.m < 1 || l.m > 12 || l.d < 1 || l.d > 31) {
			t.Errorf("%v: bad date %d-%d-%d", k, l.y, l.m, l.d)
		}
	}
}

func TestEndOfSupportOS(t *testing.T) {
	tests := []struct {
		os   string
		want time.Time
	}{
		{"Windows 7 SP1 / Server 2008 R2 (6.1.7601)", day(2020, 1, 14)},
		{"Samba (6.1.0)", time.Time{}},
		{"Windows 10 22H2 (10.0.19045)", day(2025, 10, 14)},
		{"Windows 10 21H2 / LTSC 2021 (10.0.19044)", day(2032, 1, 13)},
		{"unknown (12.3.4)", time.Time{}},
		// SMB1 native OS strings.
		{"Windows 5.1", day(2014, 4, 8)},
		{"Windows 5.0", day(2010, 7, 13)},
		{"Windows 2002 Service Pack 3 2600", day(2014, 4, 8)}, // an XP client
		{"Windows Server 2003 3790 Service Pack 2", day(2015, 7, 14)},
		{"Windows Server 2003 R2 3790 Service Pack 2", day(2015, 7, 14)},
		{"Windows 7 Professional 7601 Service Pack 1", day(2020, 1, 14)},
		{"Windows Server (R) 2008 Standard 6001 Service Pack 1", day(2020, 1, 14)},
		{"Windows Vista (TM) Ultimate 6000", day(2017, 4, 11)},
		{"Windows Server 2012 R2 Standard 9600", day(2023, 10, 10)},
		{"Windows 10 Pro 19045", day(2025, 10, 14)},
		{"Windows 10 Enterprise LTSC 2019 17763", day(2029, 1, 9)},
		{"Windows 10 Pro", time.Time{}},
		{"Windows NT 4.0", day(2004, 12, 31)},
		{"Windows NT", day(2004, 12, 31)},
		{"Windows NT kernel", time.Time{}}, // p0f's label of every release since 2000
		{"Windows NT kernel 5.x", time.Time{}},
		{"Windows 6.1", time.Time{}}, // Samba 4's native OS
		{"Windows 6.3", time.Time{}},
		// Names of Version.Name and of other databases.
		{"Windows 8.1 / Server 2012 R2", day(2023, 10, 10)},
		{"Windows 8.1", day(2023, 10, 10)}, // the family's: 8.1 (2023-01-10) shares 6.3 with 2012 R2
		{"Windows XP", day(2014, 4, 8)},
		{"Windows XP x64 / Server 2003", day(2015, 7, 14)},
		{"Windows 7 or 8", day(2023, 10, 10)}, // the later
		{"Windows 7", day(2020, 1, 14)},
		{"Windows 70", time.Time{}},
		{"Windows 10 / 11 / Server 2016 or later", time.Time{}},
		{"Windows Server 2022", time.Time{}},
		{"Windows11", time.Time{}},
		{"Unix", time.Time{}},
		{"Samba 4.19.5-Debian", time.Time{}},
		{"", time.Time{}},
		{"(1.2.3)", time.Time{}},
		{"x (99999999999.1.2)", time.Time{}},
	}
	for _, tt := range tests {
		got, ok := EndOfSupportOS([]byte(tt.os))
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("%q: %v %v, want %v", tt.os, got, ok, tt.want)
		}
	}
	os := []byte("Windows Server 2003 3790 Service Pack 2")
	if n := testing.AllocsPerRun(100, func() { EndOfSupportOS(os) }); n != 0 {
		t.Errorf("EndOfSupportOS: %v allocs", n)
	}
}
