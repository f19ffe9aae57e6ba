//! `policyc explain [CODE|NAME]`

use crate::diag::registry;

#[derive(clap::Args)]
pub struct Args {
    /// A code (N001) or a name (numbering-gap); without one, every rule is listed.
    rule: Option<String>,
}

pub fn run(args: Args) -> u8 {
    let Some(key) = args.rule else {
        for rule in registry::ALL {
            println!("{}  {:<32} {}", rule.code, rule.name, rule.level.name());
        }
        return super::SUCCESS;
    };
    match registry::find(&key) {
        Some(rule) => {
            println!("{} ({}), default level: {}\n", rule.code, rule.name, rule.level.name());
            println!("{}", rule.doc);
            super::SUCCESS
        }
        None => {
            eprintln!("error: no rule `{key}`\n  = help: `policyc explain` lists every code and name");
            super::TROUBLE
        }
    }
}
