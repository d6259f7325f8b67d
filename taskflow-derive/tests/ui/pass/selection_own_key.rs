//! A selection enum may have inherent methods named like the trait's: the derive adds none.

use taskflow_sdk::Selection;

#[derive(Selection, Clone, Copy, Debug, PartialEq)]
enum Priority {
    #[taskflow(rename = "0")]
    Low,
    #[taskflow(rename = "1")]
    High,
}

impl Priority {
    /// The application's own key: a letter for a keyboard shortcut.
    fn key(&self) -> char {
        match self {
            Priority::Low => 'l',
            Priority::High => 'h',
        }
    }

    /// The application's own parser.
    fn from_key(key: char) -> Option<Self> {
        match key {
            'l' => Some(Priority::Low),
            'h' => Some(Priority::High),
            _ => None,
        }
    }
}

fn main() {
    // Method syntax finds the inherent method; the server key is the trait's.
    assert_eq!(Priority::High.key(), 'h');
    assert_eq!(Priority::from_key('l'), Some(Priority::Low));
    assert_eq!(Selection::key(&Priority::High), "1");
    assert_eq!(<Priority as Selection>::from_key("0"), Some(Priority::Low));
    let wire = taskflow_sdk::xmlrpc::to_value(&Priority::High).unwrap();
    assert_eq!(wire, taskflow_sdk::xmlrpc::Value::from("1"));
}
