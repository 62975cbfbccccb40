#pragma once
// A validator for the subset of JSON Schema that docs/schema.json uses:
// type (one or a list), const, enum, minimum, properties, required,
// additionalProperties: false, items, oneOf, and $ref to "#/$defs/NAME".
// Returns what is wrong ("" when the value is valid), with the path to it.
#include <nlohmann/json.hpp>

#include <string>

namespace asyncdemo::test {

class SchemaCheck {
public:
  explicit SchemaCheck(nlohmann::json root) : root_(std::move(root)) {}

  std::string validate(const nlohmann::json& value) const { return check(root_, value, "$"); }
  // Against one of the schema's $defs.
  std::string validate(const nlohmann::json& value, const std::string& def) const {
    return check(root_.at("$defs").at(def), value, "$");
  }

private:
  static bool has_type(const nlohmann::json& v, const std::string& type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "null") return v.is_null();
    return false;
  }

  std::string check(const nlohmann::json& schema, const nlohmann::json& v,
                    const std::string& path) const {
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];
      const std::string prefix = "#/$defs/";
      if (ref.rfind(prefix, 0) != 0) return path + ": unsupported $ref " + ref;
      if (auto why = check(root_.at("$defs").at(ref.substr(prefix.size())), v, path); !why.empty())
        return why;
    }
    if (schema.contains("type")) {
      const auto& t = schema["type"];
      bool ok = false;
      if (t.is_string())
        ok = has_type(v, t);
      else
        for (const auto& one : t)
          ok = ok || has_type(v, one);
      if (!ok) return path + ": " + v.dump() + " is not of type " + t.dump();
    }
    if (schema.contains("const") && v != schema["const"])
      return path + ": " + v.dump() + " is not " + schema["const"].dump();
    if (schema.contains("enum")) {
      bool found = false;
      for (const auto& e : schema["enum"])
        found = found || e == v;
      if (!found) return path + ": " + v.dump() + " is not one of " + schema["enum"].dump();
    }
    if (schema.contains("minimum") && v.is_number() &&
        v.get<double>() < schema["minimum"].get<double>())
      return path + ": " + v.dump() + " is below " + schema["minimum"].dump();
    if (schema.contains("oneOf")) {
      int matches = 0;
      std::string deepest; // when none matches, the branch that got furthest says why
      for (const auto& one : schema["oneOf"]) {
        const auto why = check(one, v, path);
        matches += why.empty() ? 1 : 0;
        if (why.find(':') > deepest.find(':') || deepest.empty()) deepest = why;
      }
      if (matches == 0) return deepest;
      if (matches > 1) return path + ": matches " + std::to_string(matches) + " of oneOf, not one";
    }
    if (v.is_object()) {
      for (const auto& r : schema.value("required", nlohmann::json::array()))
        if (!v.contains(r.get<std::string>())) return path + ": lacks " + r.get<std::string>();
      const auto props = schema.value("properties", nlohmann::json::object());
      for (const auto& [key, value] : v.items()) {
        if (props.contains(key)) {
          if (auto why = check(props[key], value, path + "." + key); !why.empty()) return why;
        } else if (schema.contains("additionalProperties") && !schema["additionalProperties"]) {
          return path + ": unexpected field " + key;
        }
      }
    }
    if (v.is_array() && schema.contains("items"))
      for (std::size_t i = 0; i < v.size(); ++i)
        if (auto why = check(schema["items"], v[i], path + "[" + std::to_string(i) + "]");
            !why.empty())
          return why;
    return {};
  }

  nlohmann::json root_;
};

} // namespace asyncdemo::test
