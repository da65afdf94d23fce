"""预约服务's writes: service hours (hours.py), bookings and no-shows (booking.py), door-to-door (visits.py)."""
