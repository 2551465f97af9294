//! The sejam flow through the client against the reference server: every typed call, the
//! uploader, and the manifest from ehraz-core's wizard.

mod common;

use common::{Server, media, values};
use ehraz_client::{Client, ClientError, Target, Uploader};
use ehraz_core::{Artifact, Challenge, JalaliDate, MediaType, Sha256Digest, Wizard};
use sha2::Digest;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_goes_through_the_sejam_flow_with_the_client() {
    let server = Server::start().await;
    let client = Client::new(server.url()).expect("client");
    let started = client.start_session("sejam").await.expect("session");
    let session = started.session;
    let mut wizard = Wizard::new(started.flow.expect("the served flow loads")).expect("wizard");
    let today = JalaliDate::today_in_tehran(jiff::Timestamp::now());
    let uploader = Uploader::new(client.clone(), 16 * 1024);

    let refused = client
        .put_answers(&session, &values(&[("national-code", "0499370898")]))
        .await
        .expect_err("refused");
    match refused {
        ClientError::Api {
            status: 422,
            code,
            fields,
            ..
        } => {
            assert_eq!(code, "invalid_answers");
            assert_eq!(
                fields,
                [(
                    "national-code".to_owned(),
                    "national-code-checksum".to_owned()
                )]
            );
        }
        other => panic!("{other:?}"),
    }

    for (form, phone) in [
        (values(&[("mobile", "۰۹۱۲۱۲۳۴۵۶۷")]), "09121234567"),
        (
            values(&[
                ("national-code", "0499370899"),
                ("sejam-tracking-code", "1234567890"),
            ]),
            "09121234567",
        ),
    ] {
        client.put_answers(&session, &form).await.expect("answers");
        wizard.submit_form(&form, today).expect("wizard");
        let step = wizard.current().expect("code step").id().to_owned();
        let sent = client.send_code(&session, &step).await.expect("sent");
        assert_eq!(sent.sent_to, "0912***4567");
        let wrong = client
            .verify_code(&session, &step, &"1".repeat(usize::from(sent.code_length)))
            .await;
        if let Err(ClientError::Api {
            code,
            attempts_left,
            ..
        }) = &wrong
        {
            assert_eq!((code.as_str(), *attempts_left), ("code_wrong", Some(4)));
        }
        let receipt = client
            .verify_code(&session, &step, &server.code_sent_to(phone))
            .await
            .expect("verified");
        wizard.complete_code(&receipt).expect("wizard");
    }
    let card = values(&[
        ("card-document", "smart-card"),
        ("card-serial", "1G23456789"),
    ]);
    client.put_answers(&session, &card).await.expect("answers");
    wizard.submit_form(&card, today).expect("wizard");

    let captures: [(&[u8], MediaType, usize); 4] = [
        (&[0xFF, 0xD8, 0xFF, 0xE0], MediaType::ImageJpeg, 90_000),
        (&[0xFF, 0xD8, 0xFF, 0xE1], MediaType::ImageJpeg, 40_000),
        (b"\0\0\0\x20ftypisom", MediaType::VideoMp4, 200_000),
        (b"RIFF\x24\x08\0\0WAVEfmt ", MediaType::AudioWav, 60_000),
    ];
    for (head, media_type, size) in captures {
        let bytes = media(head, size);
        let step = wizard.current().expect("capture step").id().to_owned();
        let target = Target {
            session: &session,
            step: &step,
            media_type,
        };
        let uploaded = uploader
            .upload(
                target,
                bytes.clone().into(),
                None,
                &mut |_| {},
                &mut |_, _| {},
            )
            .await
            .expect("uploaded");
        assert!(server.stored(&uploaded.url) == bytes);
        let sha256 = Sha256Digest::from_bytes(sha2::Sha256::digest(&bytes).into());
        wizard
            .attach(Artifact {
                media_type,
                sha256,
                size: bytes.len() as u64,
            })
            .expect("attached");
        if media_type == MediaType::AudioWav {
            wizard
                .record_challenge(Challenge::Digits {
                    digits: vec![3, 8, 1],
                    shown_at_ms: Vec::new(),
                })
                .expect("challenge");
        }
        if media_type != MediaType::VideoMp4 {
            wizard.advance().expect("capture done");
        }
    }
    wizard.advance().expect("reviewed");
    let consents = values(&[
        ("commit-truthful", "true"),
        ("commit-own-identity", "true"),
        ("commit-media-processing", "true"),
    ]);
    client
        .put_answers(&session, &consents)
        .await
        .expect("answers");
    wizard.submit_form(&consents, today).expect("wizard");

    let status = client
        .submit(&session, &wizard.manifest("test").expect("manifest"))
        .await
        .expect("submitted");
    assert_eq!(status.status, "pending");
    assert_eq!(
        client.status(&session).await.expect("status").status,
        "pending"
    );
}
