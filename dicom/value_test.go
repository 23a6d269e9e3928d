package dicom

import (
	"fmt"
	"testing"
	"time"
)

func TestValueAccessors(t *testing.T) {
	le := func(vr VR, b ...byte) Value { return Value{Bytes: b, VR: vr} }
	tests := []struct {
		name   string
		v      Value
		text   string
		n      int
		ints   string
		floats string
	}{
		{"CS multi", Value{Bytes: []byte("ORIGINAL\\PRIMARY \\AXIAL "), VR: CS}, "ORIGINAL\\PRIMARY \\AXIAL", 3, "[] dicom: value does not fit its VR", "[] dicom: value does not fit its VR"},
		{"LT keeps backslash and leading space", Value{Bytes: []byte(" a\\b  "), VR: LT}, " a\\b", 1, "", ""},
		{"UI NUL", Value{Bytes: []byte("1.2.3\x00"), VR: UI}, "1.2.3", 1, "", ""},
		{"IS", Value{Bytes: []byte(" 12\\-3 "), VR: IS}, "12\\-3", 2, "[12 -3] <nil>", "[12 -3] <nil>"},
		{"DS", Value{Bytes: []byte("0.5\\1e2 "), VR: DS}, "0.5\\1e2", 2, "[100] dicom: value does not fit its VR", "[0.5 100] <nil>"},
		{"US", le(US, 1, 0, 0xFF, 0xFF), "", 2, "[1 65535] <nil>", "[1 65535] <nil>"},
		{"US BE", Value{Bytes: []byte{1, 0}, VR: US, BigEndian: true}, "", 1, "[256] <nil>", "[256] <nil>"},
		{"SS", le(SS, 0xFF, 0xFF), "", 1, "[-1] <nil>", "[-1] <nil>"},
		{"SL", le(SL, 0xFE, 0xFF, 0xFF, 0xFF), "", 1, "[-2] <nil>", "[-2] <nil>"},
		{"UL odd", le(UL, 1, 0, 0, 0, 9), "", 1, "[1] dicom: value does not fit its VR", ""},
		{"FL", le(FL, 0, 0, 0xC0, 0x3F), "", 1, "[] dicom: value does not fit its VR", "[1.5] <nil>"},
		{"FD", le(FD, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F), "", 1, "", "[1] <nil>"},
		{"AT", le(AT, 0x10, 0, 0x10, 0), "", 1, "[1048592] <nil>", ""},
		{"SV", le(SV, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), "", 1, "[-1] <nil>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.v.VR.IsString() {
				if got := string(tt.v.Text()); got != tt.text {
					t.Errorf("Text = %q, want %q", got, tt.text)
				}
			}
			if got := tt.v.NumValues(); got != tt.n {
				t.Errorf("NumValues = %d, want %d", got, tt.n)
			}
			if tt.ints != "" {
				is, err := tt.v.AppendInts(nil)
				if got := fmt.Sprintf("%v %v", fmt.Sprint(is), err); got != tt.ints && !(len(is) == 0 && got == "[] "+fmt.Sprint(err)) {
					t.Errorf("AppendInts = %s, want %s", got, tt.ints)
				}
			}
			if tt.floats != "" {
				fs, err := tt.v.AppendFloats(nil)
				if got := fmt.Sprintf("%v %v", fs, err); got != tt.floats {
					t.Errorf("AppendFloats = %s, want %s", got, tt.floats)
				}
			}
		})
	}
	strs := Value{Bytes: []byte(" A \\B\\ C"), VR: CS}.AppendStrings(nil)
	if fmt.Sprintf("%q", strs) != `["A" "B" "C"]` {
		t.Errorf("AppendStrings = %q", strs)
	}
	tags, err := Value{Bytes: []byte{0x10, 0, 0x20, 0, 0xE0, 0x7F, 0x10, 0}, VR: AT}.AppendTags(nil)
	if err != nil || len(tags) != 2 || tags[0] != NewTag(0x10, 0x20) || tags[1] != TagPixelData {
		t.Errorf("AppendTags = %v %v", tags, err)
	}
}

func TestPersonName(t *testing.T) {
	pn := ParsePersonName([]byte("Yamada^Tarou=山田^太郎=やまだ^たろう"))
	if string(pn.Family()) != "Yamada" || string(pn.Given()) != "Tarou" || string(pn.Groups[1][0]) != "山田" || string(pn.Groups[2][1]) != "たろう" {
		t.Errorf("%q", pn.Groups)
	}
	pn = ParsePersonName([]byte("Doe^John^Q^Dr^Jr^extra"))
	if string(pn.Groups[0][4]) != "Jr^extra" || string(pn.Groups[0][3]) != "Dr" {
		t.Errorf("%q", pn.Groups[0])
	}
}

func TestDatesAndTimes(t *testing.T) {
	d, err := ParseDate([]byte("20240229"))
	if err != nil || !d.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseDate: %v %v", d, err)
	}
	if d, err := ParseDate([]byte("1993.08.22")); err != nil || d.Year() != 1993 {
		t.Errorf("ParseDate ACR-NEMA: %v %v", d, err)
	}
	for _, bad := range []string{"2024022", "2024-02-29", "20241301", ""} {
		if _, err := ParseDate([]byte(bad)); err == nil {
			t.Errorf("ParseDate(%q): no error", bad)
		}
	}
	tm, err := ParseTime([]byte("070907.0705 "))
	if err != nil || tm != 7*time.Hour+9*time.Minute+7*time.Second+70500*time.Microsecond {
		t.Errorf("ParseTime: %v %v", tm, err)
	}
	if tm, err := ParseTime([]byte("10:11:12")); err != nil || tm != 10*time.Hour+11*time.Minute+12*time.Second {
		t.Errorf("ParseTime ACR-NEMA: %v %v", tm, err)
	}
	if tm, err := ParseTime([]byte("14")); err != nil || tm != 14*time.Hour {
		t.Errorf("ParseTime HH: %v %v", tm, err)
	}
	dt, err := ParseDateTime([]byte("20240229131415.5-0500"))
	if err != nil || dt.UTC() != time.Date(2024, 2, 29, 18, 14, 15, 500000000, time.UTC) {
		t.Errorf("ParseDateTime: %v %v", dt, err)
	}
	if dt, err := ParseDateTime([]byte("2024")); err != nil || !dt.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseDateTime year: %v %v", dt, err)
	}
}

func TestAppendUTF8(t *testing.T) {
	tests := []struct {
		name, charset, in, want string
	}{
		// PS3.5 annex H/I/J and section 6.1 examples.
		{"default", "", "Doe^John", "Doe^John"},
		{"latin1", "ISO_IR 100", "Buc^J\xe9r\xf4me", "Buc^Jérôme"},
		{"greek", "ISO_IR 126", "\xc4\xe9\xef\xed\xf5\xf3\xe9\xef\xf2", "Διονυσιος"},
		{"cyrillic", "ISO_IR 144", "\xbb\xee\xdace\xdc\xd1yp\xd3", "Люкceмбypг"},
		{"utf8", "ISO_IR 192", "Wang^XiaoDong=王^小東=", "Wang^XiaoDong=王^小東="},
		{"japanese", "\\ISO 2022 IR 87", "Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B", "Yamada^Tarou=山田^太郎=やまだ^たろう"},
		{"korean", "\\ISO 2022 IR 149", "Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf", "Hong^Gildong=洪^吉洞=홍^길동"},
		{"katakana", "ISO_IR 13", "\xd4\xcf\xc0\xde^\xc0\xdb\xb3", "ﾔﾏﾀﾞ^ﾀﾛｳ"},
		{"switch latin1 greek", "ISO 2022 IR 100\\ISO 2022 IR 126", "\x1b-A\xe9\x1b-F\xc4", "éΔ"},
		{"gb18030", "GB18030", "Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=", "Wang^XiaoDong=王^小东="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendUTF8(nil, []byte(tt.in), []byte(tt.charset))
			if err != nil || string(got) != tt.want {
				t.Errorf("got %q %v, want %q", got, err, tt.want)
			}
		})
	}
	if _, err := AppendUTF8(nil, []byte("x"), []byte("ISO_IR 999")); err == nil {
		t.Error("unknown charset: no error")
	}
}
