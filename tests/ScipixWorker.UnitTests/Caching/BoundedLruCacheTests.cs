using ScipixWorker.Caching;

namespace ScipixWorker.UnitTests.Caching;

public sealed class BoundedLruCacheTests
{
    [Fact]
    public void The_least_recently_used_entry_is_evicted_when_the_entry_limit_is_reached()
    {
        var cache = new BoundedLruCache<string, int>(maxEntries: 2, maxSize: 100, TimeSpan.FromHours(1));
        cache.Set("a", 1);
        cache.Set("b", 2);
        Assert.True(cache.TryGet("a", out _)); // a is now more recent than b

        cache.Set("c", 3);

        Assert.True(cache.TryGet("a", out var a));
        Assert.Equal(1, a);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Entries_are_evicted_until_the_new_one_fits_the_size_limit()
    {
        var cache = new BoundedLruCache<string, string>(maxEntries: 100, maxSize: 10, TimeSpan.FromHours(1));
        cache.Set("a", "a", size: 4);
        cache.Set("b", "b", size: 4);

        cache.Set("c", "c", size: 5);

        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("c", out _));
        Assert.Equal(9, cache.Size);
    }

    [Fact]
    public void An_entry_larger_than_the_whole_cache_is_not_stored_and_evicts_nothing()
    {
        var cache = new BoundedLruCache<string, string>(maxEntries: 100, maxSize: 10, TimeSpan.FromHours(1));
        cache.Set("a", "a", size: 4);

        Assert.False(cache.Set("huge", "x", size: 11));

        Assert.True(cache.TryGet("a", out _));
        Assert.False(cache.TryGet("huge", out _));
    }

    [Fact]
    public void Entries_expire_after_the_time_to_live()
    {
        var time = new ManualTimeProvider();
        var cache = new BoundedLruCache<string, int>(10, 10, TimeSpan.FromMinutes(5), time);
        cache.Set("a", 1);

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.True(cache.TryGet("a", out _));
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.False(cache.TryGet("a", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TryAdd_refuses_a_live_key_and_accepts_an_expired_one()
    {
        var time = new ManualTimeProvider();
        var cache = new BoundedLruCache<string, int>(10, 10, TimeSpan.FromMinutes(1), time);

        Assert.True(cache.TryAdd("k", 1));
        Assert.False(cache.TryAdd("k", 2));
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.True(cache.TryAdd("k", 3));
        Assert.True(cache.TryGet("k", out var value));
        Assert.Equal(3, value);
    }

    [Fact]
    public void A_cache_with_no_entries_allowed_stores_nothing()
    {
        var cache = new BoundedLruCache<string, int>(0, 10, TimeSpan.FromMinutes(1));

        Assert.False(cache.Set("a", 1));
        Assert.False(cache.TryGet("a", out _));
    }
}
