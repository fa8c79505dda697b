package cache

// Lookup is the outcome of [Cache.Get].
type Lookup uint8

// The three outcomes of a lookup.
const (
	// Miss means the cache knows nothing about the path: ask the server.
	Miss Lookup = iota
	// Hit means the cache holds an entry for the path.
	Hit
	// NotExist means the path is known not to exist: its parent's listing
	// is cached and has no entry of that name. A filesystem answers it
	// with fs.ErrNotExist without a round trip.
	NotExist
)

// String returns "miss", "hit" or "not exist".
func (l Lookup) String() string {
	switch l {
	case Hit:
		return "hit"
	case NotExist:
		return "not exist"
	default:
		return "miss"
	}
}
