package devdb_test

import (
	"fmt"
	"strings"

	"github.com/medtap/medtap/fingerprint/devdb"
)

func ExampleDatabase_Match() {
	db := devdb.Default()
	ev := devdb.Evidence{
		ImplementationUID:     "1.2.840.113619.6.44", // GE's root, this UID listed exactly
		ImplementationVersion: "_V4_NUEVO.x86_64",
		SMBOS:                 "Windows 7 SP1 / Server 2008 R2 (6.1.7601)",
	}
	dst := make([]devdb.Match, 0, 16) // reused: Match allocates nothing
	dst = db.Match(&ev, dst[:0])
	r := devdb.Summarize(dst)
	fmt.Println(r.Vendor, "/", r.Product, "/", r.Class, r.Modality, "/", r.OS)
	fmt.Printf("confidence %.2f, criticality %v\n", r.Confidence, r.Criticality)
	fmt.Println(strings.Join(r.AppendRules(nil), " "))
	// Output:
	// GE Healthcare / SIGNA MR / modality MR / Windows 7 / Server 2008 R2
	// confidence 0.83, criticality high
	// ge-signa-mr:dicom.uid ge-signa-mr:dicom.version windows-7-2008r2:smb.os#1 ge-healthcare:dicom.uid
}

func ExampleLoad() {
	const local = `version 2025-01
entry local-pacs
  vendor   Example Hospital IT
  product  in-house archive
  class    pacs
  source   asset register, ticket 4711
  test 80 dicom.ae exact ARCHIVE1
`
	mine, err := devdb.Load(strings.NewReader(local), "local.db")
	if err != nil {
		fmt.Println(err)
		return
	}
	db := devdb.Default()
	if err := db.Merge(mine); err != nil {
		fmt.Println(err)
		return
	}
	ev := devdb.Evidence{AETitles: [devdb.MaxAETitles]string{"ARCHIVE1"}}
	r := devdb.Summarize(db.Match(&ev, nil))
	fmt.Println(r.Product, r.Class, r.Criticality)

	_, err = devdb.Load(strings.NewReader("version 1\nentry x\n  class toaster\n"), "bad.db")
	fmt.Println(err)
	// Output:
	// in-house archive pacs high
	// devdb: bad.db:3:9: unknown class "toaster"
}
