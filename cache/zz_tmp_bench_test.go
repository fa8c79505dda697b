package cache_test

import "testing"

func BenchmarkZZTimer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		b.StartTimer()
	}
}
