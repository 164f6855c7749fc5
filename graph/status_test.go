package graph

import "testing"

func TestStatusRank(t *testing.T) {
	tests := []struct {
		s                     Status
		rank                  int
		authoritative, barred bool
	}{
		{StatusPreferred, RankPreferred, true, false},
		{StatusAdmitted, RankAdmitted, true, false},
		{StatusNone, RankNone, false, false},
		{StatusDeprecated, RankDeprecated, false, true},
		// Statuses graph does not define rank with deprecated.
		{"forbidden", RankDeprecated, false, true},
		{"approved", RankDeprecated, false, true},
		{"Preferred", RankDeprecated, false, true},
	}
	for _, tt := range tests {
		if got := tt.s.Rank(); got != tt.rank {
			t.Errorf("Status(%q).Rank() = %d, want %d", tt.s, got, tt.rank)
		}
		if got := tt.s.Authoritative(); got != tt.authoritative {
			t.Errorf("Status(%q).Authoritative() = %v, want %v", tt.s, got, tt.authoritative)
		}
		if got := tt.s.Barred(); got != tt.barred {
			t.Errorf("Status(%q).Barred() = %v, want %v", tt.s, got, tt.barred)
		}
	}
	// The ranks are in the order SortLabels and every choice of a best
	// translation rely on.
	order := []Status{StatusPreferred, StatusAdmitted, StatusNone, StatusDeprecated}
	for i := 1; i < len(order); i++ {
		if order[i-1].Rank() >= order[i].Rank() {
			t.Errorf("Status(%q).Rank() = %d, not before Status(%q).Rank() = %d", order[i-1], order[i-1].Rank(), order[i], order[i].Rank())
		}
	}
}
