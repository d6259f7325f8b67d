//! [`FieldValue`]: the types a model struct's fields may have, and how each writes and compares.

use serde::Deserialize;

use crate::fields::{Binary, Command, Date, DateTime, Id, Many2many, Many2one, One2many, Shape};
use crate::values::WriteValue;
use crate::xmlrpc::Value;

/// A type that can be a field of a `#[derive(TaskflowModel)]` struct.
///
/// Says how the field reads (through `Deserialize`), which value its setter in the companion values
/// type takes ([`FieldValue::Write`]), and which value a domain compares it with
/// ([`FieldValue::Operand`]). Implemented for the server's field types; `#[derive(Selection)]`
/// implements it for enums.
///
/// When a struct is checked against a schema snapshot (`TASKFLOW_SCHEMA_DIR`), each field's type
/// must be able to hold the snapshot's field: `String` for a char field, `Many2one<M>` for a
/// many2one, `Option<_>` for a field that can be empty. Types of your own are not checked.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a supported TaskFlow field type",
    label = "unsupported field type",
    note = "supported: String, bool, i32, i64, f64, Id<M>, Many2one<M>, One2many<M>, Many2many<M>, \
            Date, DateTime, Binary, xmlrpc::Value, #[derive(Selection)] enums, and Option<_> of these"
)]
pub trait FieldValue: for<'de> Deserialize<'de> {
    /// What the values setter takes.
    type Write;
    /// What a domain leaf on this field compares with.
    type Operand;
    /// The server field types it holds, for the check against a schema snapshot. Not API.
    #[doc(hidden)]
    const SHAPE: Shape = Shape::UNCHECKED;

    /// Encodes a value for create/write.
    fn write_value(value: Self::Write) -> WriteValue;

    /// Encodes a domain operand.
    fn operand_value(value: Self::Operand) -> Value;
}

macro_rules! plain_field {
    ($($ty:ty => $variant:ident as $conv:ty, $shape:expr),* $(,)?) => {$(
        impl FieldValue for $ty {
            type Write = $ty;
            type Operand = $ty;
            const SHAPE: Shape = Shape::of($shape);
            fn write_value(value: $ty) -> WriteValue {
                WriteValue::plain(Value::$variant(<$conv>::from(value)))
            }
            fn operand_value(value: $ty) -> Value {
                Value::$variant(<$conv>::from(value))
            }
        }
    )*};
}

/// Text of any kind (dates and binaries travel as strings too).
const STRINGS: u32 = Shape::CHAR
    | Shape::TEXT
    | Shape::HTML
    | Shape::SELECTION
    | Shape::REFERENCE
    | Shape::DATE
    | Shape::DATETIME
    | Shape::BINARY;
const INTEGERS: u32 = Shape::INTEGER | Shape::MANY2ONE_REFERENCE;

plain_field! {
    String => String as String, STRINGS,
    bool => Bool as bool, Shape::BOOLEAN,
    i32 => Int as i64, INTEGERS,
    i64 => Int as i64, INTEGERS,
    // Integral values fit a float, so an integer field may be read as one.
    f64 => Double as f64, Shape::FLOAT | Shape::MONETARY | Shape::INTEGER,
}

impl FieldValue for Value {
    type Write = Value;
    type Operand = Value;
    const SHAPE: Shape = Shape::UNCHECKED;
    fn write_value(value: Value) -> WriteValue {
        WriteValue::plain(value)
    }
    fn operand_value(value: Value) -> Value {
        value
    }
}

macro_rules! string_field {
    ($($ty:ty => $to:expr, $shape:expr),* $(,)?) => {$(
        impl FieldValue for $ty {
            type Write = $ty;
            type Operand = $ty;
            const SHAPE: Shape = Shape::of($shape);
            fn write_value(value: $ty) -> WriteValue {
                #[allow(clippy::redundant_closure_call)]
                WriteValue::plain(Value::String(($to)(&value)))
            }
            fn operand_value(value: $ty) -> Value {
                #[allow(clippy::redundant_closure_call)]
                Value::String(($to)(&value))
            }
        }
    )*};
}

string_field! {
    Date => Date::to_string, Shape::DATE,
    DateTime => DateTime::to_string, Shape::DATETIME,
    Binary => Binary::to_base64, Shape::BINARY,
}

impl<T: FieldValue> FieldValue for Option<T> {
    type Write = T::Write;
    type Operand = T::Operand;
    const SHAPE: Shape = T::SHAPE.or_empty();
    fn write_value(value: T::Write) -> WriteValue {
        T::write_value(value)
    }
    fn operand_value(value: T::Operand) -> Value {
        T::operand_value(value)
    }
}

impl<M> FieldValue for Id<M> {
    type Write = Id<M>;
    type Operand = Id<M>;
    const SHAPE: Shape = Shape::of(INTEGERS);
    fn write_value(value: Id<M>) -> WriteValue {
        WriteValue::reference(value.get())
    }
    fn operand_value(value: Id<M>) -> Value {
        Value::Int(value.get())
    }
}

impl<M> FieldValue for Many2one<M> {
    type Write = Id<M>;
    type Operand = Id<M>;
    const SHAPE: Shape = Shape::of(Shape::MANY2ONE);
    fn write_value(value: Id<M>) -> WriteValue {
        WriteValue::reference(value.get())
    }
    fn operand_value(value: Id<M>) -> Value {
        Value::Int(value.get())
    }
}

macro_rules! x2many_field {
    ($($ty:ident),*) => {$(
        impl<M> FieldValue for $ty<M> {
            type Write = Vec<Command<M>>;
            type Operand = Id<M>;
            // Both read as lists of ids and write commands.
            const SHAPE: Shape = Shape::of(Shape::ONE2MANY | Shape::MANY2MANY);
            fn write_value(value: Vec<Command<M>>) -> WriteValue {
                WriteValue::commands(value.into_iter().map(Command::into_raw).collect())
            }
            fn operand_value(value: Id<M>) -> Value {
                Value::Int(value.get())
            }
        }
    )*};
}

x2many_field!(One2many, Many2many);
