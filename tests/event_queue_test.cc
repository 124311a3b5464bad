// The calendar driver's event queue (sim/engine/event_queue.h) pops in exactly the order of one
// binary heap, whatever the times: ties, events in the same bucket, far beyond the ring.
#include "sim/engine/event_queue.h"

#include <gtest/gtest.h>

#include <ostream>
#include <queue>
#include <random>
#include <vector>

namespace cjsim {
namespace {

struct TestEvent {
  double time = 0.0;
  int kind = 0;
  std::uint64_t order = 0;
  bool operator==(const TestEvent&) const = default;
};

// How a failed comparison shows an event.
void PrintTo(const TestEvent& e, std::ostream* out) {
  *out << "{time " << e.time << ", kind " << e.kind << ", order " << e.order << "}";
}

struct Later {
  bool operator()(const TestEvent& a, const TestEvent& b) const {
    if (a.time != b.time) return a.time > b.time;
    if (a.kind != b.kind) return a.kind > b.kind;
    return a.order > b.order;
  }
};

// The queue and a binary heap side by side, given the same events, each numbered in the order
// it was made.
struct QueueBesideHeap {
  void push(double time, int kind) {
    const TestEvent e{time, kind, order++};
    queue.push(e);
    heap.push(e);
  }
  EventQueue<TestEvent, Later> queue;
  std::priority_queue<TestEvent, std::vector<TestEvent>, Later> heap;
  std::uint64_t order = 0;
};

// Pushes and pops the same random events into both queues, each push no earlier than the
// clock, and checks every pop agrees.
void expect_same_order_as_heap(std::uint32_t seed, double spread_hours, int events) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> ahead(0.0, spread_hours);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_int_distribution<int> pushes(0, 3);
  std::bernoulli_distribution same_time(0.2);
  std::bernoulli_distribution far(0.05);
  QueueBesideHeap both;
  auto& queue = both.queue;
  auto& heap = both.heap;
  double clock = 0.0;
  int pushed = 0;
  auto push = [&] {
    double time = same_time(random) ? clock : clock + ahead(random);
    if (far(random)) time = clock + 20.0 + 100.0 * ahead(random);  // beyond the ring
    both.push(time, kind(random));
    ++pushed;
  };
  for (int k = 0; k < 10; ++k) push();
  while (!heap.empty()) {
    ASSERT_FALSE(queue.empty());
    ASSERT_EQ(queue.size(), heap.size());
    const TestEvent expected = heap.top();
    heap.pop();
    const TestEvent got = queue.pop();
    ASSERT_EQ(got, expected);
    clock = got.time;
    if (pushed < events) {
      for (int n = pushes(random); n > 0; --n) push();
    }
  }
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, PopsInTheOrderOfABinaryHeapForDenseEvents) {
  expect_same_order_as_heap(1, 0.01, 200000);  // many events per bucket
}

TEST(EventQueue, PopsInTheOrderOfABinaryHeapForSparseEvents) {
  expect_same_order_as_heap(2, 3.0, 100000);  // a few events per hour, empty buckets between
}

TEST(EventQueue, PopsInTheOrderOfABinaryHeapWhenOnlyFarEventsRemain) {
  expect_same_order_as_heap(3, 40.0, 20000);  // the ring often empty: jumps to far events
}

// The calendar driver keeps the next organic arrival out of the queue and handles whichever of
// it and top() comes first; top() may then have moved the queue's bucket past the arrival, and
// the arrival's handler pushes events before that bucket. The merged order must still be one
// heap's, with the kept events in it too.
TEST(EventQueue, EventsKeptOutsideMergeInTheOrderOfABinaryHeap) {
  std::mt19937_64 random(4);
  std::exponential_distribution<double> arrival_gap(40.0);  // often several buckets apart
  std::uniform_real_distribution<double> ahead(0.0, 0.05);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_int_distribution<int> pushes(0, 2);
  std::bernoulli_distribution far(0.02);
  EventQueue<TestEvent, Later> queue;
  std::priority_queue<TestEvent, std::vector<TestEvent>, Later> heap;
  std::uint64_t order = 0;
  // Kept events: kind 9, so that they never tie with the queue's; no order needed.
  TestEvent kept{arrival_gap(random), 9, 0};
  heap.push(kept);
  int handled = 0;
  while (!heap.empty()) {
    const TestEvent expected = heap.top();
    heap.pop();
    TestEvent got;
    const bool take_kept = queue.empty() || !Later{}(kept, queue.top());
    if (take_kept) {
      got = kept;
    } else {
      got = queue.pop();
    }
    ASSERT_EQ(got, expected) << "event " << handled;
    ++handled;
    if (take_kept && handled < 200000) {
      kept = {got.time + arrival_gap(random), 9, 0};
      heap.push(kept);
    } else if (take_kept) {
      kept.time = 1e300;  // no more kept events: the queue drains
    }
    if (handled < 200000) {
      for (int n = pushes(random); n > 0; --n) {
        TestEvent e{got.time + (far(random) ? 30.0 : ahead(random)), kind(random), order++};
        queue.push(e);
        heap.push(e);
      }
    }
  }
  EXPECT_TRUE(queue.empty());
  EXPECT_GT(handled, 200000);
}

// Many events in one bucket (a touchpoint opening at 08:00 for everyone who waited the night),
// some of them far ahead when pushed, and pushes into that bucket while it is under way: the
// bucket is sorted whole instead of event by event, and the order is still one heap's.
TEST(EventQueue, PopsInTheOrderOfABinaryHeapForManyEventsInOneBucket) {
  std::mt19937_64 random(5);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_real_distribution<double> within(0.0, 1.0 / 8192.0);
  std::bernoulli_distribution same_time(0.5);
  QueueBesideHeap both;
  auto& queue = both.queue;
  auto& heap = both.heap;
  auto push = [&](double time) { both.push(time, kind(random)); };
  for (int k = 0; k < 5000; ++k) push(same_time(random) ? 8.0 : 8.0 + within(random));
  for (int k = 0; k < 3000; ++k) push(same_time(random) ? 30.0 : 30.0 + within(random));
  int popped = 0;
  while (!heap.empty()) {
    const TestEvent expected = heap.top();
    heap.pop();
    const TestEvent got = queue.pop();
    ASSERT_EQ(got, expected) << "event " << popped;
    if (++popped % 7 == 0 && popped < 6000) push(got.time + (same_time(random) ? 0.0 : 1e-6));
  }
  EXPECT_TRUE(queue.empty());
}

// The night: a touchpoint opens at 08:00, and everyone arriving before then waits for it. The
// driver's kept arrivals come first, so top() has made 08:00's bucket the clock's long before,
// and every arrival pushes into it; it grows to thousands of events, one at a time.
TEST(EventQueue, PushesIntoALargeBucketUnderWayKeepTheOrderOfABinaryHeap) {
  std::mt19937_64 random(6);
  std::exponential_distribution<double> arrival_gap(2000.0);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_real_distribution<double> within(0.0, 1.0 / 8192.0);
  std::bernoulli_distribution same_time(0.7);
  QueueBesideHeap both;
  auto& queue = both.queue;
  auto& heap = both.heap;
  auto push = [&](double time) { both.push(time, kind(random)); };
  push(8.0);
  TestEvent kept{arrival_gap(random), 9, 0};
  heap.push(kept);
  int handled = 0;
  while (!heap.empty()) {
    const TestEvent expected = heap.top();
    heap.pop();
    const bool take_kept = queue.empty() || !Later{}(kept, queue.top());
    const TestEvent got = take_kept ? kept : queue.pop();
    ASSERT_EQ(got, expected) << "event " << handled;
    ++handled;
    if (!take_kept) continue;
    if (got.time < 8.0) {
      push(same_time(random) ? 8.0 : 8.0 + within(random));
      kept = {got.time + arrival_gap(random), 9, 0};
      heap.push(kept);
    } else {
      kept.time = 1e300;  // no more kept events: the queue drains
    }
  }
  EXPECT_TRUE(queue.empty());
  EXPECT_GT(handled, 20000);
}

// A bucket ahead of the clock pops in one heap's order whatever order its events came in
// (increasing, decreasing or random times, with ties), with as few or as many events as make the
// clock's bucket sorted or a heap, and with pushes into it while it is under way.
TEST(EventQueue, EventsLinkedIntoABucketAheadInAnyOrderKeepTheOrderOfABinaryHeap) {
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int> kind(0, 3);
  std::uniform_real_distribution<double> within(0.0, 1.0 / 4096.0);
  std::bernoulli_distribution tie(0.3);
  for (const int count : {1, 5, 31, 32, 33, 40, 200}) {
    for (const int pattern : {0, 1, 2}) {
      QueueBesideHeap both;
      auto& queue = both.queue;
      auto& heap = both.heap;
      auto push = [&](double time) { both.push(time, kind(random)); };
      const double bucket = 5.0;  // a bucket of 1/4096 h from 5 h
      double last = bucket + within(random);
      for (int k = 0; k < count; ++k) {
        double offset = within(random);
        if (pattern == 0) offset = (k + 0.5) / (count * 4096.0);          // increasing
        if (pattern == 1) offset = (count - k - 0.5) / (count * 4096.0);  // decreasing
        const double time = tie(random) ? last : bucket + offset;
        push(time);
        last = time;
      }
      push(0.5);  // an earlier event, so that the clock reaches the bucket by popping
      int popped = 0;
      while (!heap.empty()) {
        const TestEvent expected = heap.top();
        heap.pop();
        ASSERT_EQ(queue.pop(), expected) << count << " events, pattern " << pattern;
        // Pushes into the bucket while it is under way, after what was popped.
        if (++popped % 3 == 0 && popped < count) push(expected.time);
      }
      EXPECT_TRUE(queue.empty());
    }
  }
}

TEST(EventQueue, ReusesNodesSoMemoryFollowsPendingEvents) {
  EventQueue<TestEvent, Later> queue;
  // A steady state of 100 pending events over a long time: the queue never holds more.
  std::uint64_t order = 0;
  double clock = 0.0;
  for (int k = 0; k < 100; ++k) queue.push({clock + 0.001 * k, 0, order++});
  for (int k = 0; k < 1000000; ++k) {
    const TestEvent e = queue.pop();
    ASSERT_GE(e.time, clock);
    clock = e.time;
    queue.push({clock + 0.1, 0, order++});
    ASSERT_EQ(queue.size(), 100u);
  }
  EXPECT_LE(queue.nodes(), 100u);
}

}  // namespace
}  // namespace cjsim
