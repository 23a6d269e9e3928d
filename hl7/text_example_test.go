package hl7_test

import (
	"fmt"

	"github.com/medtap/medtap/hl7"
)

// A Japanese name in PID-5: once in romaji, once in kanji written as JIS X
// 0208 between HL7's character set switches \M2442\ (ESC $ B) and \C2842\
// (ESC ( B). MSH-18 "~ISO IR87" says the text starts in ASCII and may switch
// to JIS X 0208.
func ExampleAppendText() {
	data := []byte("MSH|^~\\&|HIS|HOSP|LIS|HOSP|20240102||ADT^A01|1|P|2.5||||||~ISO IR87\r" +
		"PID|1||123||YAMADA^TARO~\\M2442\\;3ED\\C2842\\^\\M2442\\B@O:\\C2842\\\r")
	var m hl7.Message
	if err := m.Parse(data); err != nil {
		fmt.Println(err)
		return
	}
	charset := m.Charset().Rep(1).Bytes() // the default set: empty, so ASCII
	v, _ := m.Get("PID-5(2)")
	fmt.Printf("raw:       %s\n", v)
	fmt.Printf("unescaped: %q\n", v.AppendUnescaped(nil))
	text, err := v.AppendText(nil, charset)
	fmt.Printf("text:      %s %v\n", text, err)
	// Output:
	// raw:       \M2442\;3ED\C2842\^\M2442\B@O:\C2842\
	// unescaped: ";3ED^B@O:"
	// text:      山田^太郎 <nil>
}
