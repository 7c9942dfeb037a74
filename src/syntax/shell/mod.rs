//! Shell parser for RUN bodies (to be written).
