package cache

import "fmt"

// CheckInvariants reports the first way in which the go-cache store, the
// LRU list, the node index and the slot count disagree.
func (c *Cache) CheckInvariants() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if got, want := c.store.ItemCount(), len(c.nodes); got != want {
		return fmt.Errorf("store holds %d items, index %d nodes", got, want)
	}
	if len(c.keys) != len(c.nodes) {
		return fmt.Errorf("%d keys, %d nodes", len(c.keys), len(c.nodes))
	}
	used := 0
	for i, n := range c.nodes {
		if c.keys[i] != n.key {
			return fmt.Errorf("node %q: keys[%d] = %q", n.key, i, c.keys[i])
		}
		if n.idx != i {
			return fmt.Errorf("node %q: idx = %d, want %d", n.key, n.idx, i)
		}
		if n.weight != n.cost() || n.weight == 0 {
			return fmt.Errorf("node %q: weight = %d, cost %d", n.key, n.weight, n.cost())
		}
		if c.lookup(n.key) != n {
			return fmt.Errorf("node %q: store has another node", n.key)
		}
		if dir, _, ok := split(n.key); ok && n.hasEntry {
			if pn := c.lookup(dir); pn != nil && pn.hasList {
				return fmt.Errorf("node %q: separate entry beside the parent's listing", n.key)
			}
		}
		used += n.weight
	}
	if used != c.used {
		return fmt.Errorf("used = %d, sum of weights %d", c.used, used)
	}
	if c.used > c.max && c.lru.back() != c.lru.root.next {
		return fmt.Errorf("used = %d, above max %d", c.used, c.max)
	}
	length := 0
	for n := c.lru.root.next; n != &c.lru.root; n = n.next {
		if n.next.prev != n {
			return fmt.Errorf("lru: broken link after %q", n.key)
		}
		length++
	}
	if length != len(c.nodes) {
		return fmt.Errorf("lru holds %d nodes, index %d", length, len(c.nodes))
	}
	return nil
}

// LRUKeys returns the cached paths, most recently used first.
func (c *Cache) LRUKeys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var keys []string
	for n := c.lru.root.next; n != &c.lru.root; n = n.next {
		keys = append(keys, n.key)
	}
	return keys
}
