package vers

import (
	"testing"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
		ok   bool
	}{
		{"1.0", "1.0.0", 0, true},
		{"1.2.10", "1.2.9", 1, true},
		{"012U000040", "12U40", 0, true},
		{"2.4A", "2.4B", -1, true},
		{"2.4", "2.4A", -1, true},
		{"1.0-rc1", "1.0", -1, true},
		{"5.17.1", "5.17.1-754993421", -1, true},
		{"2023.3", "2023.3_Build_9342", -1, true},
		{"B.06.17", "B.06.18", -1, true},
		{"A.01.02", "B.06.18", -1, true},
		{"M.00.03", "N", -1, true},
		{"12.2.7.1", "12.2.x.x", 0, true},
		{"12.3", "12.2.x.x", 1, true},
		{"3.5", "3.x", 0, true},
		{"v1.2", "1.2", 0, true},
		{"V8.1", "8.1.0", 0, true},
		{"U55", "U61", -1, true},
		{"L90", "U61", 0, false}, // other product line
		{"5.0", "VM5.0", 0, false},
		{"VM4.2", "VM5.0", -1, true},
		{"sv20.1", "SV23.0", -1, true},
		{"2.4.1", "2.4A", 0, false}, // number against letters
		{"99999999999999999999999", "99999999999999999999998", 1, true},
		{"", "1", 0, false},
		{"1..2", "1.2", 0, false},
		{"1.2 SP1", "1.2", 0, false},
	}
	for _, tt := range tests {
		c, ok := Compare(tt.a, tt.b)
		if c != tt.want || ok != tt.ok {
			t.Errorf("Compare(%q, %q) = %d, %v; want %d, %v", tt.a, tt.b, c, ok, tt.want, tt.ok)
		}
		c, ok = Compare(tt.b, tt.a)
		if c != -tt.want || ok != tt.ok {
			t.Errorf("Compare(%q, %q) = %d, %v; want %d, %v", tt.b, tt.a, c, ok, -tt.want, tt.ok)
		}
	}
}

// The range texts are from the snapshot's product trees (advisory named).
func TestCheck(t *testing.T) {
	tests := []struct {
		r, v string
		want Result
	}{
		{"vers:all/*", "", In},
		{"vers:all/*", "anything at all", In},
		{"vers:generic/<=4.2", "4.1", In},
		{"vers:generic/<=4.2", "4.3", Out},
		{"vers:generic/>=1.0|<2.0|!=1.5", "1.5", Out},
		{"vers:generic/>=1.0|<2.0|!=1.5", "1.6", In},
		{"vers:generic/1.0|2.0", "2.0", In},
		{"vers:generic", "1.0", Unknown},
		{"<=1.9.4.1", "1.9.4", In},                   // ICSMA-24-151-01
		{"<=1.9.4.1", "1.9.4.2", Out},                //
		{"<=1.9.4.1", "", Unknown},                   //
		{"< 8.2.2", "8.2.1", In},                     // ICSMA-17-009-01A
		{"< 8.2.2", "8.2.2", Out},                    //
		{">= 5.01 | <= 6.3.1", "6.0", In},            // ICSMA-21-343-01
		{">= 5.01 | <= 6.3.1", "5.0", Out},           //
		{">= 5.01 | <= 6.3.1", "6.3.2", Out},         //
		{">= 1.3.4 | < 1.5.3", "1.5.3", Out},         // ICSMA-19-248-01
		{">= 2018-1 | <= 2021-1", "2020-2", In},      // ICSMA-21-175-01
		{">=BT02 | <= BT06", "BT04", In},             // ICSMA-20-343-01
		{">=BT02 | <= BT06", "BT07", Out},            //
		{">=BT02 | <= BT06", "4.2", Unknown},         //
		{">= 2.0", "3.1", In},                        // ICSMA-22-062-02
		{"9.13 | 9.19 | 9.33 | 12.1", "9.19", In},    // ICSMA-20-170-06
		{"9.13 | 9.19 | 9.33 | 12.1", "12.2", Out},   //
		{"1.1.7.333 | 2.1.1.3069", "2.1.1.3069", In}, // ICSMA-17-229-01
		{"12.2.x.x", "12.2.0.4", In},
		{"<= 12.2.x.x", "12.2.9.9", In},     // ICSMA-21-187-01
		{"<= 12.2.x.x", "12.3.0.0", Out},    //
		{"< 3.x", "2.9", In},                // ICSMA-20-170-02
		{"< 3.x", "3.1", Out},               //
		{"5.x.x", "5.4.1", In},              // ICSMA-21-313-01
		{"5.x.x", "4.2", Out},               //
		{"2.X", "2.3", In},                  // ICSMA-20-023-01
		{"4.X | 5.X", "5.0.1", In},          //
		{"4.X | 5.X", "6.0", Out},           //
		{"<= 2.4A", "2.4A", In},             // ICSMA-19-178-01
		{"<= 2.4A", "2.3B", In},             //
		{"<= 2.4A", "2.5A", Out},            //
		{"< B.06.18", "B.06.01", In},        // ICSMA-17-255-01
		{"< B.06.18", "C.00.01", Out},       //
		{"<=N", "M.00.03", In},              // ICSMA-20-254-01
		{"<= U61 |<= L81", "L70", In},       // ICSMA-20-296-02
		{"<= U61 |<= L81", "U62", Unknown},  // U62 is past U61, L81 is another line
		{"<= 012U000061", "012U000040", In}, // ICSMA-21-294-01
		{"2.3.6 and  below", "2.3.5", In},   // ICSMA-19-164-01
		{"2.3.6 and  below", "2.4", Out},    //
		{"8", "8", In},                      // ICSMA-18-165-01: Version 8
		{"8", "9", Unknown},                 // a bare number may be a model or a line
		{"2131 and 2141", "2131", Unknown},  // ICSMA-19-029-01: models
		{"24950 | 24952", "1.0", Unknown},   // ICSMA-19-080-01: models
		{"MMT-1710", "1.2", Unknown},        // ICSMA-22-263-01: a model in the version branch
		{"HD 16 | HD23", "HD23", In},        // ICSMA-20-343-01
		{"HD 16 | HD23", "HD16", Unknown},   //
		{"A.01 <= C.0x | 4.0", "4.0", In},   // ICSMA-21-322-02
		{"A.01 <= C.0x | 4.0", "B.01", Unknown},
		{"<  july 1 2017", "1.0", Unknown},                          // ICSMA-17-227-01
		{"<8/30/2024", "8/1/2024", Unknown},                         // ICSMA-24-249-01
		{"distributed  < april 1, 2018", "", Unknown},               // ICSMA-18-107-01
		{"<= 1.54 (integrated into GE MobileLink)", "1.0", Unknown}, // ICSMA-18-128-01
		{"v6.x (with Wireless Battery Modules v9 | v11 | v13)", "11", Unknown},
		{"<= 1.8.4 Service Pack 01", "1.8.4", Unknown},
		{"Accu-Chek Inform II", "1.0", Unknown}, // ICSMA-18-310-01
		{"<=5.17.1-754993421", "5.17.1", In},    // ICSMA-22-298-01
		{"<=2023.3_Build_9342", "2024.1", Out},  // ICSMA-24-060-01
		{"", "1.0", Unknown},
		{"|", "1.0", Unknown},
		{">= 1.0 |", "1.5", In},
		{"1.0", "1.0 beta", Unknown},
	}
	for _, tt := range tests {
		if got := Check(tt.r, tt.v); got != tt.want {
			t.Errorf("Check(%q, %q) = %v, want %v", tt.r, tt.v, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		r    string
		want Form
	}{
		{"vers:all/*", Parsed},
		{"vers:npm/>=1.0.0|<2.0.0", Parsed},
		{">= 5.01 | <= 6.3.1", Parsed},
		{"2.3.6 and  below", Parsed},
		{"HD 16 | HD23", Partial},
		{"A.01 <= C.0x | 4.0", Partial},
		{"<  july 1 2017", Text},
		{"* (end-of-life 2011)", Text},
		{"with wireless option (shipped between 2016-August 2018)", Text},
		{"Accu-Chek Inform II", Text},
		{"", Text},
	}
	for _, tt := range tests {
		if got := Classify(tt.r); got != tt.want {
			t.Errorf("Classify(%q) = %v, want %v", tt.r, got, tt.want)
		}
	}
}

func TestStrings(t *testing.T) {
	if In.String() != "in" || Result(200).String() != "Result(200)" || Partial.String() != "partial" || Form(9).String() != "Form(9)" || Result(42).String() != "Result(42)" {
		t.Error("String")
	}
}

func TestCheckAllocs(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		Check(">= 5.01 | <= 6.3.1", "6.0")
		Check("vers:generic/>=1.0|<2.0|!=1.5", "1.5")
		Check("9.13 | 9.19 | 9.33 | 12.1", "12.2")
		Classify("HD 16 | HD23")
		Check("2.3.6 and  below", "2.3.5")
		Check("<= 12.2.x.x", "12.3.0.0")
	})
	if allocs != 0 {
		t.Errorf("%v allocs, want 0", allocs)
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []struct{ r, v string }{
		{"vers:all/*", ""}, {"<=1.9.4.1", "1.9.4"}, {">= 5.01 | <= 6.3.1", "6.0"},
		{"<= U61 |<= L81", "L70"}, {"12.2.x.x", "12.2.0.4"}, {"2.3.6 and  below", "2.3.5"},
		{"vers:generic/>=1.0|<2.0|!=1.5", "1.5"}, {"<= 2.4A", "2.3B"}, {"< B.06.18", "B.06.01"},
		{"1.0-rc1", "1.0"}, {"*", "x"}, {"<  july 1 2017", "1"},
	} {
		f.Add(s.r, s.v)
	}
	f.Fuzz(func(t *testing.T, r, v string) {
		got := Check(r, v)
		if got > Unknown {
			t.Fatalf("Check(%q, %q) = %v", r, v, got)
		}
		if Classify(r) == Text && got != Unknown {
			t.Fatalf("Check(%q, %q) = %v on a text range", r, v, got)
		}
		c, ok := Compare(r, v)
		c2, ok2 := Compare(v, r)
		if ok != ok2 || c != -c2 {
			t.Fatalf("Compare(%q, %q) = %d, %v but Compare(%q, %q) = %d, %v", r, v, c, ok, v, r, c2, ok2)
		}
		if ok && (c < -1 || c > 1) {
			t.Fatalf("Compare(%q, %q) = %d", r, v, c)
		}
		if c, ok := Compare(v, v); Valid(v) && (c != 0 || !ok) {
			t.Fatalf("Compare(%q, itself) = %d, %v", v, c, ok)
		}
		if ok && c == 0 && Valid(v) && Check(r, v) == Out {
			// a version equal to the range's one word is in it
			t.Fatalf("Check(%q, %q) = Out though they compare equal", r, v)
		}
	})
}
