// pybind11 module ember._tokenizers (wrapped by python/ember/tokenizers.py).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "ember/tokenizers/tokenizer.h"

namespace py = pybind11;
namespace et = ember::tokenizers;

namespace {

[[noreturn]] void raise(const et::Error& e) {
  if (e.code == et::ErrorCode::kIoError) throw py::value_error(e.to_string());  // see wrapper
  throw py::value_error(e.to_string());
}

py::str to_str(const std::string& s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

std::string text_arg(const py::handle& h) {
  if (py::isinstance<py::bytes>(h)) return h.cast<std::string>();
  if (py::isinstance<py::str>(h)) {
    // surrogatepass keeps lone surrogates as (invalid) UTF-8 so the library's replacement rule
    // applies to them like to any other invalid input.
    PyObject* b = PyUnicode_AsEncodedString(h.ptr(), "utf-8", "surrogatepass");
    if (!b) throw py::error_already_set();
    py::bytes bytes = py::reinterpret_steal<py::bytes>(b);
    return bytes.cast<std::string>();
  }
  throw py::type_error("text must be str or bytes");
}

struct PyTokenizer {
  std::shared_ptr<et::Tokenizer> tok;
};

struct PyStream {
  std::shared_ptr<et::Tokenizer> tok;  // keeps the tokenizer alive
  et::StreamDecoder dec;
};

}  // namespace

PYBIND11_MODULE(_tokenizers, m) {
  m.doc() = "Ember tokenizers (C++)";
  py::class_<PyStream>(m, "StreamDecoder")
      .def("step",
           [](PyStream& s, int id) {
             auto r = s.dec.step(id);
             if (!r.ok()) raise(r.error());
             return to_str(*r);
           })
      .def("flush", [](PyStream& s) { return to_str(s.dec.flush()); })
      .def("reset", [](PyStream& s) { s.dec.reset(); });

  py::class_<PyTokenizer>(m, "Tokenizer")
      .def(
          "encode",
          [](const PyTokenizer& t, const py::object& text, bool add_bos, bool add_eos,
             bool parse_special) {
            std::string s = text_arg(text);
            et::EncodeOptions o;
            o.add_bos = add_bos;
            o.add_eos = add_eos;
            o.parse_special = parse_special;
            et::Result<std::vector<et::TokenId>> r = std::vector<et::TokenId>{};
            {
              py::gil_scoped_release release;
              r = t.tok->encode(s, o);
            }
            if (!r.ok()) raise(r.error());
            return *r;
          },
          py::arg("text"), py::arg("add_bos") = false, py::arg("add_eos") = false,
          py::arg("parse_special") = true)
      .def(
          "encode_batch",
          [](const PyTokenizer& t, const py::list& texts, bool add_bos, bool add_eos,
             bool parse_special) {
            std::vector<std::string> in;
            for (auto h : texts) in.push_back(text_arg(h));
            et::EncodeOptions o;
            o.add_bos = add_bos;
            o.add_eos = add_eos;
            o.parse_special = parse_special;
            std::vector<std::vector<et::TokenId>> out;
            out.reserve(in.size());
            for (auto& s : in) {
              auto r = t.tok->encode(s, o);
              if (!r.ok()) raise(r.error());
              out.push_back(std::move(*r));
            }
            return out;
          },
          py::arg("texts"), py::arg("add_bos") = false, py::arg("add_eos") = false,
          py::arg("parse_special") = true)
      .def(
          "decode",
          [](const PyTokenizer& t, const std::vector<et::TokenId>& ids, bool skip_special) {
            auto r = t.tok->decode(ids, skip_special);
            if (!r.ok()) raise(r.error());
            return to_str(*r);
          },
          py::arg("ids"), py::arg("skip_special") = false)
      .def("token_bytes",
           [](const PyTokenizer& t, int id) {
             auto r = t.tok->token_bytes(id);
             if (!r.ok()) raise(r.error());
             return py::bytes(*r);
           })
      .def("id_to_token",
           [](const PyTokenizer& t, int id) {
             auto r = t.tok->id_to_token(id);
             if (!r.ok()) raise(r.error());
             return to_str(*r);
           })
      .def("token_to_id",
           [](const PyTokenizer& t, const std::string& s) -> py::object {
             et::TokenId id = t.tok->token_to_id(s);
             if (id < 0) return py::none();
             return py::int_(id);
           })
      .def(
          "stream_decoder",
          [](const PyTokenizer& t, bool skip_special) {
            return PyStream{t.tok, et::StreamDecoder(t.tok.get(), skip_special)};
          },
          py::arg("skip_special") = false)
      .def("is_special", [](const PyTokenizer& t, int id) { return t.tok->is_special(id); })
      .def_property_readonly("vocab_size", [](const PyTokenizer& t) { return t.tok->vocab_size(); })
      .def_property_readonly("bos_id", [](const PyTokenizer& t) { return t.tok->bos_id(); })
      .def_property_readonly("eos_id", [](const PyTokenizer& t) { return t.tok->eos_id(); })
      .def_property_readonly("unk_id", [](const PyTokenizer& t) { return t.tok->unk_id(); })
      .def_property_readonly("default_add_bos",
                             [](const PyTokenizer& t) { return t.tok->default_add_bos(); })
      .def_property_readonly("special_ids",
                             [](const PyTokenizer& t) { return t.tok->special_ids(); })
      .def_property_readonly("format",
                             [](const PyTokenizer& t) { return et::format_name(t.tok->format()); })
      .def_property_readonly("description",
                             [](const PyTokenizer& t) { return t.tok->description(); });

  m.def(
      "load",
      [](const std::string& path, const std::string& encoding) {
        et::LoadOptions o;
        o.tiktoken_encoding = encoding;
        et::Result<std::unique_ptr<et::Tokenizer>> r = std::unique_ptr<et::Tokenizer>();
        {
          py::gil_scoped_release release;
          r = et::load(path, o);
        }
        if (!r.ok()) {
          const et::Error& e = r.error();
          if (e.code == et::ErrorCode::kIoError) {
            PyErr_SetString(PyExc_OSError, e.to_string().c_str());
            throw py::error_already_set();
          }
          raise(e);
        }
        return PyTokenizer{std::shared_ptr<et::Tokenizer>(std::move(*r))};
      },
      py::arg("path"), py::arg("encoding") = "");
  m.def("detect_format", [](const py::bytes& data) {
    auto r = et::detect_format(std::string(data));
    if (!r.ok()) raise(r.error());
    return std::string(et::format_name(*r));
  });
}
