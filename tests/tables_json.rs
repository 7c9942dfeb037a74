//! build.rs embeds the YAML tables as JSON (faster to parse at startup): the JSON copy must be
//! the same table as the YAML source.

use whittle::{base_images, package_managers};

#[test]
fn package_manager_table_from_json_equals_the_yaml_source() {
    let yaml = package_managers::parse_table(package_managers::TABLE_YAML).unwrap();
    let embedded = package_managers::table();
    assert_eq!(format!("{embedded:?}"), format!("{yaml:?}"));
    assert!(package_managers::by_command("apt-get").is_some());
}

#[test]
fn base_image_table_from_json_equals_the_yaml_source() {
    let yaml = base_images::parse_table(base_images::TABLE_YAML).unwrap();
    let embedded = base_images::table();
    assert_eq!(format!("{embedded:?}"), format!("{yaml:?}"));
    assert!(base_images::lookup("debian").is_some());
}
