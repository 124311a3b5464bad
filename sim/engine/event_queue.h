// The calendar driver's queue of pending events: a calendar queue of short time buckets, in
// exactly the order of one binary heap ordered by `Later` (time first), but with only the
// bucket under way sorted. Events are dense in time and mostly near the clock, so most
// land in a bucket a few seconds ahead and are merely linked there; only the few events of the
// current bucket are sorted, and events beyond the ring (returns, referrals days ahead) wait
// in a heap of their own until the ring reaches them (the first one's bucket kept at hand, so
// that moving on a bucket looks at one number). The rare paths (a new node, a far event) are
// out of line, so that push and a bucket's load stay small. Memory: one node per pending event.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

namespace cjsim {

// Event: has a `double time` >= 0; Later(a, b): a comes after b, and a.time > b.time implies
// it. Pushed events must not be earlier than the last event popped (the clock never goes back),
// but may be earlier than top(): a driver that keeps some events of its own (the next organic
// arrival) compares them with top() and handles the earlier first.
template <class Event, class Later>
class EventQueue {
 public:
  // Buckets of 1/4096 hour (0.88 s): bucket_of is monotone in time, since multiplying by a
  // power of two is exact, so ordering buckets first and within a bucket by Later is Later's
  // order. The ring spans 16 hours.
  static constexpr double kBucketsPerHour = 4096.0;
  static constexpr std::uint64_t kRing = std::uint64_t{1} << 16;

  EventQueue() : heads_(kRing, kNone) {}

  bool empty() const { return current_.empty() && in_ring_ == 0 && far_.empty(); }
  std::size_t size() const { return current_.size() + in_ring_ + far_.size(); }
  // Nodes ever made for the ring: at most the most events it held at once.
  std::size_t nodes() const { return events_.size(); }

  // Out of line: inlined at each of the driver's calls, it grows them enough that the compiler
  // stops inlining the driver's own steps, which costs more than the call.
  [[gnu::noinline]] void push(const Event& event) {
    const std::uint64_t b = bucket_of(event.time);
    // The clock's bucket holds every event up to it; top() may have moved that bucket on
    // past an event the driver kept, which then pushes events before it.
    if (b <= clock_bucket_) {
      insert_current(event);
    } else if (b < clock_bucket_ + kRing) {
      link(b, event);
    } else {
      push_far(event);
    }
  }

  // The earliest event, left in the queue. The queue must not be empty.
  const Event& top() {
    if (current_.empty()) load_next_bucket();
    return next();
  }

  // The earliest event when it is at hand (its bucket loaded), else null: a hint for prefetching
  // what the next event will read, since pushes may still come before it.
  const Event* next_at_hand() const { return current_.empty() ? nullptr : &next(); }

  // Buckets loaded so far: a driver that fetches ahead what events will read looks for a change.
  std::uint64_t loads() const { return loads_; }

  // Calls f on each event now in the bucket after the clock's (pushes may add more). Their
  // nodes were fetched into the cache when the bucket before the clock's was loaded.
  template <class F>
  void for_each_in_next_bucket(F f) const {
    for (std::uint32_t node = heads_[(clock_bucket_ + 1) & (kRing - 1)]; node != kNone;
         node = next_[node]) {
      f(events_[node]);
    }
  }

  // The earliest event, removed. The queue must not be empty.
  Event pop() {
    if (current_.empty()) load_next_bucket();
    if (heaped_) std::pop_heap(current_.begin(), current_.end(), Later{});
    Event event = current_.back();
    current_.pop_back();
    return event;
  }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  static constexpr std::uint64_t kNoBucket = ~std::uint64_t{0};

  static std::uint64_t bucket_of(double time) {
    return static_cast<std::uint64_t>(time * kBucketsPerHour);
  }

  void link(std::uint64_t b, const Event& event) {
    if (free_ == kNone) add_node();
    const std::uint32_t node = free_;
    free_ = next_[node];
    events_[node] = event;
    std::uint32_t& head = heads_[b & (kRing - 1)];
    next_[node] = head;
    head = node;
    ++in_ring_;
  }

  // Nodes made anew and events beyond the ring are rare: out of line, so that push stays small.
  [[gnu::noinline]] void add_node() {
    free_ = static_cast<std::uint32_t>(events_.size());
    events_.emplace_back();
    next_.push_back(kNone);
  }

  [[gnu::noinline]] void push_far(const Event& event) {
    far_.push_back(event);
    std::push_heap(far_.begin(), far_.end(), Later{});
    far_bucket_ = bucket_of(far_.front().time);
  }

  // Moves the clock's bucket on to the next one holding events and sorts them.
  void load_next_bucket() {
    assert(!empty());
    heaped_ = false;
    for (;;) {
      if (in_ring_ == 0) {
        // Nothing in the ring: jump to the first far event's bucket.
        clock_bucket_ = far_bucket_;
      } else {
        ++clock_bucket_;
      }
      if (far_bucket_ < clock_bucket_ + kRing) bring_far_events_in();
      std::uint32_t& head = heads_[clock_bucket_ & (kRing - 1)];
      if (head != kNone) {
        // The bucket's events are sorted in, and its nodes freed at once.
        std::uint32_t last = head;
        for (std::uint32_t node = head; node != kNone; node = next_[node]) {
          add_loaded(events_[node]);
          --in_ring_;
          last = node;
        }
        next_[last] = free_;
        free_ = head;
        head = kNone;
      }
      if (!current_.empty()) break;
    }
    if (current_.size() > kInsertedMost) make_current_a_heap();
    // The events of the bucket after next are likely misses in the cache (each was made a while
    // ago, in a node of its own): fetched while this bucket and the next run, so that a driver
    // can read the next bucket's events without a miss (for_each_in_next_bucket). Their links
    // are apart, in a small array that stays in the cache, so the walk costs no miss.
    ++loads_;
    for (std::uint32_t node = heads_[(clock_bucket_ + 2) & (kRing - 1)]; node != kNone;
         node = next_[node]) {
      const char* event = reinterpret_cast<const char*>(&events_[node]);
      __builtin_prefetch(event);
      __builtin_prefetch(event + sizeof(Event) - 1);
    }
  }

  // Far events whose bucket the ring now covers come in: into the clock's bucket or the ring.
  [[gnu::noinline]] void bring_far_events_in() {
    while (far_bucket_ < clock_bucket_ + kRing) {
      std::pop_heap(far_.begin(), far_.end(), Later{});
      const Event event = far_.back();
      far_.pop_back();
      if (far_bucket_ == clock_bucket_) {
        add_loaded(event);
      } else {
        link(far_bucket_, event);
      }
      far_bucket_ = far_.empty() ? kNoBucket : bucket_of(far_.front().time);
    }
  }

  // The clock's bucket holds a few events, kept latest first so that the next is the last: each
  // sorted in as it comes is cheaper than a heap's sifts. Later is a strict total order (its last
  // key, the order events were made, is unique), so popping from the back gives a heap's order.
  // A bucket of many (a touchpoint opening for everyone who waited the night, while the night's
  // arrivals still push into it) is a heap instead, as sorting in would cost n^2.
  static constexpr std::size_t kInsertedMost = 32;

  const Event& next() const { return heaped_ ? current_.front() : current_.back(); }

  void make_current_a_heap() {
    std::make_heap(current_.begin(), current_.end(), Later{});
    heaped_ = true;
  }

  // An event of the bucket being loaded: sorted in while the bucket is small, else added to the
  // heap it will become when loaded.
  void add_loaded(const Event& event) {
    if (current_.size() < kInsertedMost) {
      insert_current(event);
    } else {
      current_.push_back(event);
    }
  }

  // An event into the clock's bucket: sorted in, or into its heap.
  void insert_current(const Event& event) {
    if (!heaped_ && current_.size() >= kInsertedMost) make_current_a_heap();
    if (heaped_) {
      current_.push_back(event);
      std::push_heap(current_.begin(), current_.end(), Later{});
      return;
    }
    // Earlier than all (often, in a bucket of a few): at the back, copied once. Else the later
    // ones move up, and it is copied once into its place.
    std::size_t i = current_.size();
    if (i == 0 || Later{}(current_[i - 1], event)) {
      current_.push_back(event);
      return;
    }
    current_.push_back(current_[i - 1]);
    --i;
    while (i > 0 && !Later{}(current_[i - 1], event)) {
      current_[i] = current_[i - 1];
      --i;
    }
    current_[i] = event;
  }

  std::vector<std::uint32_t> heads_;  // per bucket of the ring: its first node
  // The ring's nodes: an event and its link (the next node of its bucket, or of the free list).
  std::vector<Event> events_;
  std::vector<std::uint32_t> next_;
  std::uint32_t free_ = kNone;      // nodes free for reuse, linked
  std::uint64_t in_ring_ = 0;       // events linked in the ring (not the current bucket's)
  std::uint64_t clock_bucket_ = 0;  // the bucket of the clock
  std::uint64_t loads_ = 0;         // buckets loaded
  // The clock's bucket: latest first (the next event is the last), or a heap when it holds many.
  std::vector<Event> current_;
  bool heaped_ = false;
  std::vector<Event> far_;
  std::uint64_t far_bucket_ = kNoBucket;  // the first far event's bucket, if any
};

}  // namespace cjsim
