use taskflow_sdk::Selection;

#[derive(Selection)]
enum Generic<T> {
    Low,
    High(T),
}

#[derive(Selection)]
enum Bounded
where
    Self: Sized,
{
    Low,
}

#[derive(Selection)]
enum Empty {}

#[derive(Selection)]
union NotAnEnum {
    key: u8,
}

#[derive(Selection)]
enum Struct {
    Low { level: u8 },
}

fn main() {}
