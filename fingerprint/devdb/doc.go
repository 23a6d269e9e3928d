// Package devdb is medtap's device database: entries that say which vendor,
// product, device class and operating system some evidence points to, and
// a matcher that scores a device's [Evidence] against every entry.
package devdb
