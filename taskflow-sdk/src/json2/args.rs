//! `execute_kw`'s positional arguments as JSON-2's named ones: a serde adapter that writes each
//! element of the arguments tuple as an entry of the body object, named from the
//! [signature table](super::signature).

use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeMap, Serializer};

use super::signature;
use crate::kwargs::KwargsPayload;

/// The JSON-2 request body: the positional arguments by name, then the keyword arguments and the
/// merged context.
pub(crate) struct Body<'a, A: ?Sized> {
    pub(crate) method: &'a str,
    pub(crate) args: &'a A,
    pub(crate) kwargs: KwargsPayload<'a>,
}

impl<A: Serialize + ?Sized> Serialize for Body<'_, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.args.serialize(Positional {
            map: &mut map,
            method: self.method,
            kwargs: &self.kwargs,
        })?;
        self.kwargs.write_entries(&mut map)?;
        map.end()
    }
}

/// Whether the first positional argument is a single record's values (a map) rather than a list:
/// JSON-2's `create` answers a list of ids for both, and XML-RPC's an id for a map.
pub(crate) fn first_is_map<A: Serialize + ?Sized>(args: &A) -> bool {
    matches!(args.serialize(FirstArg), Err(Shape::Map))
}

/// Receives the arguments value: a tuple, a list, or `()` for none.
struct Positional<'a, 'k, M> {
    map: &'a mut M,
    method: &'a str,
    kwargs: &'a KwargsPayload<'k>,
}

/// The arguments' elements, each written as a named entry.
struct Elements<'a, 'k, M> {
    map: &'a mut M,
    method: &'a str,
    kwargs: &'a KwargsPayload<'k>,
    index: usize,
}

impl<M: SerializeMap> Elements<'_, '_, M> {
    fn entry<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        let name =
            signature::param(self.method, self.index).map_err(<M::Error as ser::Error>::custom)?;
        if self.kwargs.has_key(name) {
            return Err(ser::Error::custom(format!(
                "{} got {name} both as a positional argument and in Kwargs",
                self.method
            )));
        }
        self.index += 1;
        self.map.serialize_entry(name, value)
    }
}

fn not_a_list<E: ser::Error>() -> E {
    E::custom("the positional arguments must be a tuple or a list (`()` for none)")
}

macro_rules! refuse {
    ($($name:ident($($ty:ty),*);)*) => {
        $(fn $name(self, $(_: $ty),*) -> Result<(), M::Error> {
            Err(not_a_list())
        })*
    };
}

impl<'a, 'k, M: SerializeMap> Serializer for Positional<'a, 'k, M> {
    type Ok = ();
    type Error = M::Error;
    type SerializeSeq = Elements<'a, 'k, M>;
    type SerializeTuple = Elements<'a, 'k, M>;
    type SerializeTupleStruct = Elements<'a, 'k, M>;
    type SerializeTupleVariant = Impossible<(), M::Error>;
    type SerializeMap = Impossible<(), M::Error>;
    type SerializeStruct = Impossible<(), M::Error>;
    type SerializeStructVariant = Impossible<(), M::Error>;

    fn serialize_unit(self) -> Result<(), M::Error> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), M::Error> {
        Ok(())
    }

    fn serialize_none(self) -> Result<(), M::Error> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), M::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, M::Error> {
        Ok(Elements {
            map: self.map,
            method: self.method,
            kwargs: self.kwargs,
            index: 0,
        })
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, M::Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, M::Error> {
        self.serialize_seq(Some(len))
    }

    refuse! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), M::Error> {
        Err(not_a_list())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, M::Error> {
        Err(not_a_list())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, M::Error> {
        Err(not_a_list())
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, M::Error> {
        Err(not_a_list())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, M::Error> {
        Err(not_a_list())
    }
}

/// The arguments' elements arrive the same way whether the arguments are a list, a tuple or a
/// tuple struct.
macro_rules! elements {
    ($($trait:ident::$method:ident),*) => {
        $(impl<M: SerializeMap> ser::$trait for Elements<'_, '_, M> {
            type Ok = ();
            type Error = M::Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
                self.entry(value)
            }

            fn end(self) -> Result<(), M::Error> {
                Ok(())
            }
        })*
    };
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

/// What [`FirstArg`] learnt, carried out as its error so that nothing is serialized past it.
#[derive(Debug, PartialEq)]
enum Shape {
    Map,
    Other,
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Shape {}

impl ser::Error for Shape {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Shape::Other
    }
}

/// Looks at the arguments' first element: [`Shape::Map`] when it is a map or a struct.
struct FirstArg;

/// Looks at one value's shape.
struct ShapeOf;

macro_rules! other {
    ($($name:ident($($ty:ty),*);)*) => {
        $(fn $name(self, $(_: $ty),*) -> Result<(), Shape> {
            Err(Shape::Other)
        })*
    };
}

/// The serializer methods both probes answer alike.
macro_rules! probe_common {
    () => {
        type Ok = ();
        type Error = Shape;
        type SerializeTupleStruct = Impossible<(), Shape>;
        type SerializeTupleVariant = Impossible<(), Shape>;
        type SerializeMap = Impossible<(), Shape>;
        type SerializeStruct = Impossible<(), Shape>;
        type SerializeStructVariant = Impossible<(), Shape>;

        other! {
            serialize_bool(bool);
            serialize_i8(i8);
            serialize_i16(i16);
            serialize_i32(i32);
            serialize_i64(i64);
            serialize_u8(u8);
            serialize_u16(u16);
            serialize_u32(u32);
            serialize_u64(u64);
            serialize_f32(f32);
            serialize_f64(f64);
            serialize_char(char);
            serialize_str(&str);
            serialize_bytes(&[u8]);
            serialize_none();
            serialize_unit();
            serialize_unit_struct(&'static str);
            serialize_unit_variant(&'static str, u32, &'static str);
        }

        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Shape> {
            value.serialize(self)
        }

        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<(), Shape> {
            value.serialize(self)
        }

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), Shape> {
            Err(Shape::Other)
        }

        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Shape> {
            Err(Shape::Other)
        }

        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Shape> {
            Err(Shape::Other)
        }

        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Shape> {
            Err(Shape::Other)
        }
    };
}

impl Serializer for FirstArg {
    type SerializeSeq = FirstElement;
    type SerializeTuple = FirstElement;
    probe_common!();

    fn serialize_seq(self, _: Option<usize>) -> Result<FirstElement, Shape> {
        Ok(FirstElement)
    }

    fn serialize_tuple(self, _: usize) -> Result<FirstElement, Shape> {
        Ok(FirstElement)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Shape> {
        Err(Shape::Other)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Shape> {
        Err(Shape::Other)
    }
}

impl Serializer for ShapeOf {
    type SerializeSeq = Impossible<(), Shape>;
    type SerializeTuple = Impossible<(), Shape>;
    probe_common!();

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Shape> {
        Err(Shape::Other)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Shape> {
        Err(Shape::Other)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Shape> {
        Err(Shape::Map)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Shape> {
        Err(Shape::Map)
    }
}

/// The arguments' first element, probed by [`ShapeOf`].
struct FirstElement;

/// The first element of a list or a tuple alike.
macro_rules! first_element {
    ($($trait:ident),*) => {
        $(impl ser::$trait for FirstElement {
            type Ok = ();
            type Error = Shape;

            fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Shape> {
                value.serialize(ShapeOf)
            }

            fn end(self) -> Result<(), Shape> {
                Err(Shape::Other)
            }
        })*
    };
}

first_element!(SerializeSeq, SerializeTuple);
